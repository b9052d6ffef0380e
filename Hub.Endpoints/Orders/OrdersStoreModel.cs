using Hub.Persistence.History;
using System.Text.Json;
using Crm.Domain;
using Crm.Domain.Orders;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hub.Endpoints.Orders;

/// <summary>
/// Tables of the orders capability: the <see cref="Order"/> aggregate (lines, history, audit, payment plan, invoices and
/// receipts as JSON columns; work orders, product instances and shipments in their own tables) and the order saga's state.
/// </summary>
internal sealed class OrdersStoreModel : IHubStoreModel
{
    public string Module => "orders";

    public void Configure(ModelBuilder model)
    {
        model.Entity<Order>(e =>
        {
            // 003 §4.4.5.2: every change on record (who, when, channel or message, before and after).
            e.KeepsHistory();
            e.ToTable("crm_order");
            e.HasKey(o => o.Id);
            e.Property(o => o.Number).HasMaxLength(32);
            e.HasIndex(o => o.Number).IsUnique();
            e.Property(o => o.CustomerCode).HasMaxLength(32);
            e.Property(o => o.OwnerUserId).HasMaxLength(64);
            e.Property(o => o.Channel).HasMaxLength(32);
            // A person's address (issue 8): sealed at rest, in the saga's copy too; read back by order, never queried by value.
            e.Property(o => o.ContactEmail).IsEncrypted();
            e.Ignore(o => o.TotalAmount);
            e.Ignore(o => o.AllWorkOrdersSucceeded);
            e.Ignore(o => o.IsFullyShipped);
            e.Ignore(o => o.CompletionRefusal);
            e.Ignore(o => o.InvoicedAmount);
            e.Ignore(o => o.ReceivedAmount);
            e.Ignore(o => o.History);
            e.Ignore(o => o.Instalments);
            e.Ignore(o => o.Invoices);
            e.Ignore(o => o.Receipts);
            e.Property(o => o.Status).HasMaxLength(32);
            e.HasIndex(o => o.Status);
            e.Property<int>(OrderStore.CommerceVersion).IsConcurrencyToken();
            e.Property(o => o.Approval).HasConversion<string>().HasMaxLength(16);
            e.Property(o => o.ApproverId).HasMaxLength(64);
            // History, audit, payment plan, invoices and receipts belong to the order and are only read with it: JSON columns.
            Json(e.Property<List<StateChange>>("_history").HasColumnName("History"));
            Json(e.Property<List<Instalment>>("_instalments").HasColumnName("Instalments"));
            Json(e.Property<List<Invoice>>("_invoices").HasColumnName("Invoices"));
            Json(e.Property<List<Receipt>>("_receipts").HasColumnName("Receipts"));
            e.Property(o => o.Audit).HasConversion(
                a => a == null ? null : JsonSerializer.Serialize(a, JsonSerializerOptions.Web),
                json => json == null ? null : JsonSerializer.Deserialize<OrderAudit>(json, JsonSerializerOptions.Web));
            e.HasMany(o => o.WorkOrders).WithOne().HasForeignKey(w => w.OrderId);
            e.Navigation(o => o.WorkOrders).HasField("_workOrders").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.HasMany(o => o.ProductInstances).WithOne().HasForeignKey(p => p.OrderId);
            e.Navigation(o => o.ProductInstances).HasField("_productInstances").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.HasMany(o => o.Shipments).WithOne().HasForeignKey(p => p.OrderId);
            e.Navigation(o => o.Shipments).HasField("_shipments").UsePropertyAccessMode(PropertyAccessMode.Field);
            // Lines belong to the order and are never queried alone: one JSON column.
            e.Property(o => o.Items)
                .HasColumnName("Lines")
                .HasConversion(
                    items => JsonSerializer.Serialize(items, JsonSerializerOptions.Web),
                    json => JsonSerializer.Deserialize<OrderItem[]>(json, JsonSerializerOptions.Web) ?? Array.Empty<OrderItem>(),
                    new ValueComparer<IReadOnlyList<OrderItem>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToArray()));
        });

        model.Entity<WorkOrder>(e =>
        {
            // 003 §4.4.5.2: every change on record (who, when, channel or message, before and after).
            e.KeepsHistory();
            e.ToTable("crm_work_order");
            e.HasKey(w => w.Id);
            e.Property(w => w.Id).ValueGeneratedNever();
            e.Property(w => w.Number).HasMaxLength(40);
            e.Property(w => w.ProductCode).HasMaxLength(32);
            e.Property(w => w.SpecModel).HasMaxLength(64);
            e.Property(w => w.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(w => w.ChargeReference).HasMaxLength(64);
            e.Property(w => w.ResourceReference).HasMaxLength(64);
            e.Ignore(w => w.IsSucceeded);
        });

        model.Entity<ProductInstance>(e =>
        {
            e.ToTable("crm_product_instance");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.ProductCode).HasMaxLength(32);
            e.Property(p => p.SpecModel).HasMaxLength(64);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        });

        model.Entity<Shipment>(e =>
        {
            e.ToTable("crm_order_shipment");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.CarrierReference).HasMaxLength(64);
            e.Property(p => p.ReceivedBy).HasMaxLength(64);
            e.Ignore(p => p.Lines);
            Json(e.Property<List<ShipmentLine>>("_lines").HasColumnName("Lines"));
        });

        model.Entity<OrderState>(e =>
        {
            e.ToTable("crm_order_saga");
            e.HasKey(s => s.CorrelationId);
            e.Property(s => s.Version).IsConcurrencyToken();
            e.Property(s => s.CurrentState).HasMaxLength(32);
            e.Property(s => s.OrderNumber).HasMaxLength(32);
            e.Property(s => s.ErpStatus).HasMaxLength(16);
            e.Property(s => s.BillingStatus).HasMaxLength(16);
            e.Property(s => s.Status).HasMaxLength(32);
            e.Property(s => s.ContactEmail).IsEncrypted();
            Json(e.Property(s => s.Branches));
        });
    }

    private static void Json<T>(PropertyBuilder<List<T>> property) =>
        property.HasConversion(
            list => JsonSerializer.Serialize(list, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<T>>(json, JsonSerializerOptions.Web) ?? new List<T>(),
            new ValueComparer<List<T>>((a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(),
                v => JsonSerializer.Deserialize<List<T>>(JsonSerializer.Serialize(v, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!));

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("orders", 1, "create crm_order and crm_order_saga", m =>
        {
            m.CreateTable("crm_order", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Number = t.Column<string>(maxLength: 32, nullable: false),
                CustomerCode = t.Column<string>(maxLength: 32, nullable: false),
                OwnerUserId = t.Column<string>(maxLength: 64, nullable: false),
                Channel = t.Column<string>(maxLength: 32, nullable: false),
                ContactEmail = t.Column<string>(maxLength: 254, nullable: true),
                PlacedAt = t.Column<DateTimeOffset>(nullable: false),
                Lines = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_order", x => x.Id));
            m.CreateIndex("ix_crm_order_number", "crm_order", "Number", unique: true);

            m.CreateTable("crm_order_saga", t => new
            {
                CorrelationId = t.Column<Guid>(nullable: false),
                Version = t.Column<int>(nullable: false),
                CurrentState = t.Column<string>(maxLength: 32, nullable: false),
                OrderNumber = t.Column<string>(maxLength: 32, nullable: false),
                CustomerCode = t.Column<string>(nullable: false),
                OwnerUserId = t.Column<string>(nullable: false),
                TotalAmount = t.Column<decimal>(nullable: false),
                ContactEmail = t.Column<string>(nullable: true),
                ErpStatus = t.Column<string>(maxLength: 16, nullable: false),
                ErpSalesOrderNumber = t.Column<string>(nullable: true),
                BillingStatus = t.Column<string>(maxLength: 16, nullable: false),
                BillingChargeId = t.Column<string>(nullable: true),
                FailureReason = t.Column<string>(nullable: true),
                DeadlineTokenId = t.Column<Guid>(nullable: true),
                PlacedAt = t.Column<DateTimeOffset>(nullable: false),
                UpdatedAt = t.Column<DateTimeOffset>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_order_saga", x => x.CorrelationId));
            m.CreateIndex("ix_crm_order_saga_state", "crm_order_saga", "CurrentState");
        }),
        // The domain's lifecycle moves into the store. Additive: rows of version 1 load with the state their saga had reached.
        new("orders", 2, "order lifecycle: status, history, approval, audit, commerce records; crm_work_order, crm_product_instance, crm_order_shipment", m =>
        {
            m.AddColumn<string>("Status", "crm_order", maxLength: 32, nullable: false, defaultValue: OrderStatus.Placed);
            m.AddColumn<DateTimeOffset>("StatusChangedAt", "crm_order", nullable: false, defaultValue: DateTimeOffset.UnixEpoch);
            m.AddColumn<string>("History", "crm_order", nullable: false, defaultValue: "[]");
            m.AddColumn<string>("Approval", "crm_order", maxLength: 16, nullable: false, defaultValue: nameof(ApprovalState.NotSubmitted));
            m.AddColumn<string>("ApproverId", "crm_order", maxLength: 64, nullable: true);
            m.AddColumn<DateTimeOffset>("ApprovalDecidedAt", "crm_order", nullable: true);
            m.AddColumn<string>("Audit", "crm_order", nullable: true);
            m.AddColumn<bool>("CancellationRequested", "crm_order", nullable: false, defaultValue: false);
            m.AddColumn<string>("EndReason", "crm_order", nullable: true);
            m.AddColumn<string>("Instalments", "crm_order", nullable: false, defaultValue: "[]");
            m.AddColumn<string>("Invoices", "crm_order", nullable: false, defaultValue: "[]");
            m.AddColumn<string>("Receipts", "crm_order", nullable: false, defaultValue: "[]");
            m.Sql("UPDATE crm_order SET \"StatusChangedAt\" = \"PlacedAt\", \"Status\" = COALESCE((SELECT s.\"CurrentState\" FROM crm_order_saga s " +
                  "WHERE s.\"CorrelationId\" = crm_order.\"Id\" AND s.\"CurrentState\" <> 'Initial'), 'Placed')");
            m.CreateIndex("ix_crm_order_status", "crm_order", "Status");

            m.CreateTable("crm_work_order", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                Number = t.Column<string>(maxLength: 40, nullable: false),
                LineIndex = t.Column<int>(nullable: false),
                ProductCode = t.Column<string>(maxLength: 32, nullable: false),
                SpecModel = t.Column<string>(maxLength: 64, nullable: true),
                Quantity = t.Column<int>(nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                ChargeReference = t.Column<string>(maxLength: 64, nullable: true),
                BilledAt = t.Column<DateTimeOffset>(nullable: true),
                ResourceReference = t.Column<string>(maxLength: 64, nullable: true),
                ProvisionedAt = t.Column<DateTimeOffset>(nullable: true),
                FailureReason = t.Column<string>(nullable: true),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_work_order", x => x.Id);
                t.ForeignKey("fk_crm_work_order_order", x => x.OrderId, "crm_order", "Id");
            });
            m.CreateIndex("ix_crm_work_order_order", "crm_work_order", "OrderId");

            m.CreateTable("crm_product_instance", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                LineIndex = t.Column<int>(nullable: false),
                ProductCode = t.Column<string>(maxLength: 32, nullable: false),
                SpecModel = t.Column<string>(maxLength: 64, nullable: true),
                Quantity = t.Column<int>(nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                ActivatedAt = t.Column<DateTimeOffset>(nullable: true),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_product_instance", x => x.Id);
                t.ForeignKey("fk_crm_product_instance_order", x => x.OrderId, "crm_order", "Id");
            });
            m.CreateIndex("ix_crm_product_instance_order", "crm_product_instance", "OrderId");

            m.CreateTable("crm_order_shipment", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                ShippedAt = t.Column<DateTimeOffset>(nullable: false),
                CarrierReference = t.Column<string>(maxLength: 64, nullable: true),
                Lines = t.Column<string>(nullable: false),
                ReceivedBy = t.Column<string>(maxLength: 64, nullable: true),
                DeliveredAt = t.Column<DateTimeOffset>(nullable: true),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_order_shipment", x => x.Id);
                t.ForeignKey("fk_crm_order_shipment_order", x => x.OrderId, "crm_order", "Id");
            });
            m.CreateIndex("ix_crm_order_shipment_order", "crm_order_shipment", "OrderId");

            m.AddColumn<string>("Status", "crm_order_saga", maxLength: 32, nullable: false, defaultValue: "");
            m.AddColumn<int>("Sequence", "crm_order_saga", nullable: false, defaultValue: 0);
            m.AddColumn<string>("Branches", "crm_order_saga", nullable: false, defaultValue: "[]");
            m.AddColumn<int>("AlarmsRaised", "crm_order_saga", nullable: false, defaultValue: 0);
            m.Sql("UPDATE crm_order_saga SET \"Status\" = \"CurrentState\"");
        }),
        // Shipments, invoices, receipts and plans are applied to the order by their own consumers, beside the saga: a counter
        // the store checks keeps two of them (or one and the saga) from overwriting each other. Additive: existing rows start at 0.
        new("orders", 3, "crm_order.CommerceVersion: optimistic concurrency of the commercial records", m =>
            m.AddColumn<int>(OrderStore.CommerceVersion, "crm_order", nullable: false, defaultValue: 0)),
        new("orders", 4, "encrypt the orders' contact email (order and saga)", m =>
        {
            // SQLite does not enforce lengths; PostgreSQL's varchar would refuse an envelope (the saga's column is text already).
            if (m.ActiveProvider?.Contains("Npgsql", StringComparison.Ordinal) == true)
                m.AlterColumn<string>("ContactEmail", "crm_order", nullable: true, oldMaxLength: 254, oldNullable: true);
        })
        {
            Data = ColumnKeyRotation.SealPlaintext("crm_order", "crm_order_saga"),
        },
    ];
}
