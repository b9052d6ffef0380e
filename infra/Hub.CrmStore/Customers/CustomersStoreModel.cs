using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Hub.CrmStore.Customers;

/// <summary>
/// Tables of the customers capability (003 §3.1): customers and their attributes, contacts and their phones,
/// and the record of merges. Indexed for the call centre's screen pop: the phone keys of customers and
/// contacts, and the name key for prefix search.
/// </summary>
internal sealed class CustomersStoreModel : IHubStoreModel
{
    public string Module => "crm-customers";

    public void Configure(ModelBuilder model)
    {
        CustomerMapping.Configure(model);
        ContactMapping.Configure(model);
        CustomerMergeMapping.Configure(model);
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("crm-customers", 1, "create crm_customer, crm_customer_attribute, crm_contact, crm_contact_phone, crm_customer_merge", m =>
        {
            // Name keys are compared by code point on PostgreSQL ("C"), so a prefix search (LIKE 'key%' or a key
            // range) can walk the B-tree index; under a linguistic collation it could not. SQLite compares
            // bytes (BINARY) already.
            var byCodePoint = IsPostgres(m) ? "C" : null;
            m.CreateTable("crm_customer", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Code = t.Column<string>(maxLength: 32, nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Industry = t.Column<string>(maxLength: 64, nullable: true),
                Region = t.Column<string>(maxLength: 64, nullable: true),
                Category = t.Column<string>(maxLength: 64, nullable: true),
                Address = t.Column<string>(maxLength: 300, nullable: true),
                Postcode = t.Column<string>(maxLength: 10, nullable: true),
                Phone = t.Column<string>(maxLength: 32, nullable: true),
                Fax = t.Column<string>(maxLength: 32, nullable: true),
                Website = t.Column<string>(maxLength: 200, nullable: true),
                Email = t.Column<string>(maxLength: 254, nullable: true),
                OwnerSalespersonId = t.Column<string>(maxLength: 64, nullable: true),
                ValueGrade = t.Column<string>(maxLength: 16, nullable: false),
                CreditGrade = t.Column<string>(maxLength: 16, nullable: false),
                NameKey = t.Column<string>(maxLength: 200, nullable: false, collation: byCodePoint),
                PhoneKey = t.Column<string>(maxLength: 32, nullable: false, collation: byCodePoint),
                RegisteredAt = t.Column<DateTimeOffset>(nullable: false),
                MergedIntoId = t.Column<Guid>(nullable: true),
                MergedAt = t.Column<DateTimeOffset>(nullable: true),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_customer", x => x.Id));
            m.CreateIndex("ix_crm_customer_code", "crm_customer", "Code", unique: true);
            // With the code as tie-breaker, a name search pages in index order without sorting the matches.
            m.CreateIndex("ix_crm_customer_name_key", "crm_customer", ["NameKey", "Code"]);
            m.CreateIndex("ix_crm_customer_phone_key", "crm_customer", "PhoneKey");
            m.CreateIndex("ix_crm_customer_owner", "crm_customer", "OwnerSalespersonId");
            m.CreateIndex("ix_crm_customer_region", "crm_customer", "Region");

            m.CreateTable("crm_customer_attribute", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                CustomerId = t.Column<Guid>(nullable: false),
                Key = t.Column<string>(maxLength: 64, nullable: false),
                Value = t.Column<string>(maxLength: 500, nullable: false),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_customer_attribute", x => x.Id);
                t.ForeignKey("fk_crm_customer_attribute_customer", x => x.CustomerId, "crm_customer", "Id", onDelete: ReferentialAction.Cascade);
            });
            m.CreateIndex("ix_crm_customer_attribute_customer", "crm_customer_attribute", "CustomerId");

            m.CreateTable("crm_contact", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                CustomerId = t.Column<Guid>(nullable: false),
                Name = t.Column<string>(maxLength: 100, nullable: false),
                Address = t.Column<string>(maxLength: 300, nullable: true),
                Department = t.Column<string>(maxLength: 100, nullable: true),
                Title = t.Column<string>(maxLength: 100, nullable: true),
                Interests = t.Column<string>(maxLength: 500, nullable: true),
                Birthday = t.Column<DateOnly>(nullable: true),
                Email = t.Column<string>(maxLength: 254, nullable: true),
                DecisionRole = t.Column<string>(maxLength: 16, nullable: false),
                ReportsToId = t.Column<Guid>(nullable: true),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_contact", x => x.Id));
            m.CreateIndex("ix_crm_contact_customer", "crm_contact", "CustomerId");

            m.CreateTable("crm_contact_phone", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                ContactId = t.Column<Guid>(nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Number = t.Column<string>(maxLength: 32, nullable: false),
                PhoneKey = t.Column<string>(maxLength: 32, nullable: false, collation: byCodePoint),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_contact_phone", x => x.Id);
                t.ForeignKey("fk_crm_contact_phone_contact", x => x.ContactId, "crm_contact", "Id", onDelete: ReferentialAction.Cascade);
            });
            m.CreateIndex("ix_crm_contact_phone_contact", "crm_contact_phone", "ContactId");
            m.CreateIndex("ix_crm_contact_phone_key", "crm_contact_phone", "PhoneKey");

            m.CreateTable("crm_customer_merge", t => new
            {
                DuplicateId = t.Column<Guid>(nullable: false),
                SurvivorId = t.Column<Guid>(nullable: false),
                ContactIds = t.Column<string>(nullable: false),
                OrderIds = t.Column<string>(nullable: false),
                TicketIds = t.Column<string>(nullable: false),
                HistoryIds = t.Column<string>(nullable: false),
                AttributeKeysTaken = t.Column<string>(nullable: false),
                FieldsFilled = t.Column<string>(nullable: false),
                At = t.Column<DateTimeOffset>(nullable: false),
                Actor = t.Column<string>(maxLength: 64, nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_customer_merge", x => x.DuplicateId));
            m.CreateIndex("ix_crm_customer_merge_survivor", "crm_customer_merge", "SurvivorId");
        }),
        new("crm-customers", 2, "encrypt phones, fax, registration number and bank account; blind indexes for phone lookups", m =>
        {
            m.AddColumn<string>("RegistrationNumber", "crm_customer", nullable: true);
            m.AddColumn<string>("BankAccount", "crm_customer", nullable: true);
            // SQLite does not enforce lengths; PostgreSQL's varchar(32) would refuse an envelope or an index.
            if (!IsPostgres(m))
                return;
            m.AlterColumn<string>("Phone", "crm_customer", nullable: true, oldMaxLength: 32, oldNullable: true);
            m.AlterColumn<string>("Fax", "crm_customer", nullable: true, oldMaxLength: 32, oldNullable: true);
            m.AlterColumn<string>("Number", "crm_contact_phone", nullable: false, oldMaxLength: 32);
            m.AlterColumn<string>("PhoneKey", "crm_customer", maxLength: 64, nullable: false, collation: "C", oldMaxLength: 32, oldCollation: "C");
            m.AlterColumn<string>("PhoneKey", "crm_contact_phone", maxLength: 64, nullable: false, collation: "C", oldMaxLength: 32, oldCollation: "C");
        })
        {
            Data = ColumnKeyRotation.SealPlaintext("crm_customer", "crm_contact_phone"),
        },
        new("crm-customers", 3, "crm_customer_merge.ChangeIds: the change-history entries each merge wrote", m =>
            m.AddColumn<string>("ChangeIds", "crm_customer_merge", nullable: true)),
        new("crm-customers", 4, "encrypt customers' and contacts' email and address", m =>
        {
            // SQLite does not enforce lengths; PostgreSQL's varchar would refuse an envelope.
            if (!IsPostgres(m))
                return;
            m.AlterColumn<string>("Email", "crm_customer", nullable: true, oldMaxLength: 254, oldNullable: true);
            m.AlterColumn<string>("Address", "crm_customer", nullable: true, oldMaxLength: 300, oldNullable: true);
            m.AlterColumn<string>("Email", "crm_contact", nullable: true, oldMaxLength: 254, oldNullable: true);
            m.AlterColumn<string>("Address", "crm_contact", nullable: true, oldMaxLength: 300, oldNullable: true);
        })
        {
            Data = ColumnKeyRotation.SealPlaintext("crm_customer", "crm_contact"),
        },
    ];

    private static bool IsPostgres(MigrationBuilder m) => m.ActiveProvider?.Contains("Npgsql", StringComparison.Ordinal) == true;
}
