using Hub.Persistence.History;
using System.Text.Json;
using Crm.Domain.Dealers;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Hub.CrmStore.Dealers;

/// <summary>
/// Tables of the dealers capability (003 §3.2): inspection visits with their criterion scores, negotiation records, agency
/// contracts with their approval steps, annual and monthly targets at three tiers, the achievement ledger and the alerts of
/// dealers that fell behind. A dealer itself is a customer of kind dealer (<c>crm_customer</c>).
/// </summary>
internal sealed class DealersStoreModel : IHubStoreModel
{
    private const string Period = DealerLedger.TargetPeriod;

    public string Module => "crm-dealers";

    public void Configure(ModelBuilder model)
    {
        model.Entity<InspectionVisit>(e =>
        {
            e.ToTable("crm_dealer_inspection_visit");
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.Property(v => v.InspectorId).HasMaxLength(64);
            e.Property(v => v.Notes).HasMaxLength(2000);
            // The scores belong to the visit and are only read with it: one JSON column over the private list.
            e.Property<List<InspectionScore>>("_scores").HasColumnName("Scores").HasConversion(
                s => JsonSerializer.Serialize(s, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<InspectionScore>>(json, JsonSerializerOptions.Web) ?? new List<InspectionScore>(),
                new ValueComparer<List<InspectionScore>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
            e.Ignore(v => v.Scores);
            e.HasIndex(v => new { v.DealerId, v.VisitedOn });
        });

        model.Entity<NegotiationRecord>(e =>
        {
            e.ToTable("crm_dealer_negotiation");
            e.HasKey(n => n.Id);
            e.Property(n => n.Id).ValueGeneratedNever();
            e.Property(n => n.RecordedBy).HasMaxLength(64);
            e.Property(n => n.Participants).HasMaxLength(500);
            e.Property(n => n.Outcome).HasConversion<string>().HasMaxLength(16);
            e.Property<List<NegotiatedTerm>>("_terms").HasColumnName("Terms").HasConversion(
                t => JsonSerializer.Serialize(t, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<NegotiatedTerm>>(json, JsonSerializerOptions.Web) ?? new List<NegotiatedTerm>(),
                new ValueComparer<List<NegotiatedTerm>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
            e.Ignore(n => n.Terms);
            e.HasIndex(n => new { n.DealerId, n.HeldOn });
        });

        model.Entity<AgencyContract>(e =>
        {
            // 003 §4.4.5.2: every change on record (who, when, channel or message, before and after).
            e.KeepsHistory();
            e.ToTable("crm_agency_contract");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Number).HasMaxLength(32);
            e.HasIndex(c => c.Number).IsUnique();
            e.Property(c => c.Territory).HasMaxLength(100);
            e.Property(c => c.Terms).HasMaxLength(8000);
            e.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(c => c.DraftedBy).HasMaxLength(64);
            e.Property(c => c.SubmittedBy).HasMaxLength(64);
            e.Property(c => c.ApproverId).HasMaxLength(64);
            e.Property(c => c.RejectionReason).HasMaxLength(500);
            // PostgreSQL keeps instants in UTC only; SQLite would keep the offset. UTC on both, so they read back alike.
            e.Property(c => c.SubmittedAt).HasConversion(v => v.HasValue ? v.Value.ToUniversalTime() : v, v => v);
            e.Property(c => c.DecidedAt).HasConversion(v => v.HasValue ? v.Value.ToUniversalTime() : v, v => v);
            e.Property<long>(CrmStoreModels.Version).IsConcurrencyToken();
            e.HasIndex(c => c.DealerId);
            e.HasIndex(c => new { c.Status, c.ValidTo });
        });

        model.Entity<AgencyContractStep>(e =>
        {
            e.ToTable("crm_agency_contract_step");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedOnAdd();
            e.Property(s => s.Step).HasMaxLength(16);
            e.Property(s => s.FromStatus).HasMaxLength(16);
            e.Property(s => s.ToStatus).HasMaxLength(16);
            e.Property(s => s.Actor).HasMaxLength(64);
            e.Property(s => s.Reason).HasMaxLength(500);
            e.HasIndex(s => new { s.ContractId, s.Sequence }).IsUnique();
        });

        model.Entity<DealerTarget>(e =>
        {
            // 003 §4.4.5.2: every change on record (who, when, channel or message, before and after).
            e.KeepsHistory();
            e.ToTable("crm_dealer_target");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).ValueGeneratedNever();
            e.Property(t => t.AgreedBy).HasMaxLength(64);
            Tier(e, t => t.Tier1, "Tier1");
            Tier(e, t => t.Tier2, "Tier2");
            Tier(e, t => t.Tier3, "Tier3");
            e.Ignore(t => t.StartsOn);
            e.Ignore(t => t.EndsOn);
            e.Property<int>(Period);
            e.Property<long>(CrmStoreModels.Version).IsConcurrencyToken();
            e.HasIndex(nameof(DealerTarget.DealerId), nameof(DealerTarget.Year), Period).IsUnique();
        });

        model.Entity<DealerAchievementEntry>(e =>
        {
            e.ToTable("crm_dealer_achievement_entry");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Source).HasMaxLength(16);
            e.Property(a => a.SourceId).HasMaxLength(64);
            e.Property(a => a.DealerCode).HasMaxLength(32);
            e.Property(a => a.Reference).HasMaxLength(64);
            e.HasIndex(a => new { a.Source, a.SourceId }).IsUnique();
            e.HasIndex(a => new { a.DealerId, a.Year, a.Month });
        });

        model.Entity<DealerTargetAlert>(e =>
        {
            e.ToTable("crm_dealer_target_alert");
            e.HasKey(a => new { a.DealerId, a.Year, a.Month });
            e.Property(a => a.Metric).HasMaxLength(16);
        });

        model.Entity<AgencyContractReminder>(e =>
        {
            e.ToTable("crm_agency_contract_reminder");
            e.HasKey(r => r.ContractId);
            e.Property(r => r.ContractId).ValueGeneratedNever();
        });
    }

    private static void Tier(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<DealerTarget> e,
        System.Linq.Expressions.Expression<Func<DealerTarget, TargetLevels?>> tier, string prefix) =>
        e.ComplexProperty(tier, c =>
        {
            c.Property(l => l.Units).HasColumnName(prefix + "Units");
            c.Property(l => l.SalesAmount).HasColumnName(prefix + "SalesAmount");
            c.Property(l => l.Receipts).HasColumnName(prefix + "Receipts");
        });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("crm-dealers", 1, "create crm_dealer_inspection_visit, crm_dealer_negotiation, crm_agency_contract, crm_agency_contract_step, crm_dealer_target, crm_dealer_achievement_entry, crm_dealer_target_alert", m =>
        {
            m.CreateTable("crm_dealer_inspection_visit", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                DealerId = t.Column<Guid>(nullable: false),
                VisitedOn = t.Column<DateOnly>(nullable: false),
                InspectorId = t.Column<string>(maxLength: 64, nullable: false),
                WeightedTotal = t.Column<decimal>(nullable: false),
                Notes = t.Column<string>(maxLength: 2000, nullable: true),
                Scores = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_dealer_inspection_visit", x => x.Id));
            m.CreateIndex("ix_crm_dealer_inspection_visit_dealer", "crm_dealer_inspection_visit", ["DealerId", "VisitedOn"]);

            m.CreateTable("crm_dealer_negotiation", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                DealerId = t.Column<Guid>(nullable: false),
                HeldOn = t.Column<DateOnly>(nullable: false),
                RecordedBy = t.Column<string>(maxLength: 64, nullable: false),
                Participants = t.Column<string>(maxLength: 500, nullable: false),
                Outcome = t.Column<string>(maxLength: 16, nullable: false),
                Terms = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_dealer_negotiation", x => x.Id));
            m.CreateIndex("ix_crm_dealer_negotiation_dealer", "crm_dealer_negotiation", ["DealerId", "HeldOn"]);

            m.CreateTable("crm_agency_contract", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Number = t.Column<string>(maxLength: 32, nullable: false),
                DealerId = t.Column<Guid>(nullable: false),
                Territory = t.Column<string>(maxLength: 100, nullable: false),
                ValidFrom = t.Column<DateOnly>(nullable: false),
                ValidTo = t.Column<DateOnly>(nullable: false),
                Terms = t.Column<string>(maxLength: 8000, nullable: false),
                NegotiationId = t.Column<Guid>(nullable: true),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                DraftedBy = t.Column<string>(maxLength: 64, nullable: false),
                SubmittedBy = t.Column<string>(maxLength: 64, nullable: true),
                SubmittedAt = t.Column<DateTimeOffset>(nullable: true),
                ApproverId = t.Column<string>(maxLength: 64, nullable: true),
                DecidedAt = t.Column<DateTimeOffset>(nullable: true),
                RejectionReason = t.Column<string>(maxLength: 500, nullable: true),
                SignedOn = t.Column<DateOnly>(nullable: true),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_agency_contract", x => x.Id));
            m.CreateIndex("ix_crm_agency_contract_number", "crm_agency_contract", "Number", unique: true);
            m.CreateIndex("ix_crm_agency_contract_dealer", "crm_agency_contract", "DealerId");

            m.CreateTable("crm_agency_contract_step", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                ContractId = t.Column<Guid>(nullable: false),
                Sequence = t.Column<int>(nullable: false),
                Step = t.Column<string>(maxLength: 16, nullable: false),
                FromStatus = t.Column<string>(maxLength: 16, nullable: true),
                ToStatus = t.Column<string>(maxLength: 16, nullable: false),
                Actor = t.Column<string>(maxLength: 64, nullable: false),
                Reason = t.Column<string>(maxLength: 500, nullable: true),
                At = t.Column<DateTime>(nullable: false),
                CommandId = t.Column<Guid>(nullable: false),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_agency_contract_step", x => x.Id);
                t.ForeignKey("fk_crm_agency_contract_step_contract", x => x.ContractId, "crm_agency_contract", "Id");
            });
            m.CreateIndex("ix_crm_agency_contract_step_contract", "crm_agency_contract_step", ["ContractId", "Sequence"], unique: true);

            m.CreateTable("crm_dealer_target", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                DealerId = t.Column<Guid>(nullable: false),
                Year = t.Column<int>(nullable: false),
                Month = t.Column<int>(nullable: true),
                Period = t.Column<int>(nullable: false),
                Tier1Units = t.Column<int>(nullable: false),
                Tier1SalesAmount = t.Column<decimal>(nullable: false),
                Tier1Receipts = t.Column<decimal>(nullable: false),
                Tier2Units = t.Column<int>(nullable: false),
                Tier2SalesAmount = t.Column<decimal>(nullable: false),
                Tier2Receipts = t.Column<decimal>(nullable: false),
                Tier3Units = t.Column<int>(nullable: false),
                Tier3SalesAmount = t.Column<decimal>(nullable: false),
                Tier3Receipts = t.Column<decimal>(nullable: false),
                AgreedBy = t.Column<string>(maxLength: 64, nullable: false),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_dealer_target", x => x.Id));
            m.CreateIndex("ix_crm_dealer_target_period", "crm_dealer_target", ["DealerId", "Year", "Period"], unique: true);

            m.CreateTable("crm_dealer_achievement_entry", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Source = t.Column<string>(maxLength: 16, nullable: false),
                SourceId = t.Column<string>(maxLength: 64, nullable: false),
                DealerId = t.Column<Guid>(nullable: false),
                DealerCode = t.Column<string>(maxLength: 32, nullable: false),
                On = t.Column<DateOnly>(nullable: false),
                Year = t.Column<int>(nullable: false),
                Month = t.Column<int>(nullable: false),
                Units = t.Column<int>(nullable: false),
                SalesAmount = t.Column<decimal>(nullable: false),
                Receipts = t.Column<decimal>(nullable: false),
                Reference = t.Column<string>(maxLength: 64, nullable: false),
                RecordedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_dealer_achievement_entry", x => x.Id));
            m.CreateIndex("ix_crm_dealer_achievement_entry_source", "crm_dealer_achievement_entry", ["Source", "SourceId"], unique: true);
            m.CreateIndex("ix_crm_dealer_achievement_entry_period", "crm_dealer_achievement_entry", ["DealerId", "Year", "Month"]);

            m.CreateTable("crm_dealer_target_alert", t => new
            {
                DealerId = t.Column<Guid>(nullable: false),
                Year = t.Column<int>(nullable: false),
                Month = t.Column<int>(nullable: false),
                Metric = t.Column<string>(maxLength: 16, nullable: false),
                Target = t.Column<decimal>(nullable: false),
                Actual = t.Column<decimal>(nullable: false),
                DetectedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_dealer_target_alert", x => new { x.DealerId, x.Year, x.Month }));
        }),
        // Contracts in force are swept by status and last day: an index on both keeps the sweep off a full scan.
        new("crm-dealers", 2, "create crm_agency_contract_reminder; index crm_agency_contract on status and last day", m =>
        {
            m.CreateTable("crm_agency_contract_reminder", t => new
            {
                ContractId = t.Column<Guid>(nullable: false),
                ValidTo = t.Column<DateOnly>(nullable: false),
                RemindedOn = t.Column<DateOnly>(nullable: false),
                RemindedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_agency_contract_reminder", x => x.ContractId));
            m.CreateIndex("ix_crm_agency_contract_status_valid_to", "crm_agency_contract", ["Status", "ValidTo"]);
        }),
    ];
}
