using System.Text.Json;
using Crm.Domain.Orders;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Hub.Endpoints.Orders;

/// <summary>Tables of the orders capability: the orders themselves and their saga state.</summary>
internal sealed class OrdersStoreModel : IHubStoreModel
{
    public string Module => "orders";

    public void Configure(ModelBuilder model)
    {
        model.Entity<Order>(e =>
        {
            e.ToTable("crm_order");
            e.HasKey(o => o.Id);
            e.Property(o => o.Number).HasMaxLength(32);
            e.HasIndex(o => o.Number).IsUnique();
            e.Property(o => o.CustomerCode).HasMaxLength(32);
            e.Property(o => o.OwnerUserId).HasMaxLength(64);
            e.Property(o => o.Channel).HasMaxLength(32);
            e.Property(o => o.ContactEmail).HasMaxLength(254);
            e.Ignore(o => o.TotalAmount);
            // The order saga (OrderState) runs the lifecycle today; the domain's own lifecycle, work orders and
            // commerce records are mapped when the saga moves onto them (issue 3), with their own migration.
            e.Ignore(o => o.Status);
            e.Ignore(o => o.StatusChangedAt);
            e.Ignore(o => o.History);
            e.Ignore(o => o.Approval);
            e.Ignore(o => o.ApproverId);
            e.Ignore(o => o.ApprovalDecidedAt);
            e.Ignore(o => o.WorkOrders);
            e.Ignore(o => o.Audit);
            e.Ignore(o => o.ProductInstances);
            e.Ignore(o => o.CancellationRequested);
            e.Ignore(o => o.EndReason);
            e.Ignore(o => o.Shipments);
            e.Ignore(o => o.Instalments);
            e.Ignore(o => o.Invoices);
            e.Ignore(o => o.Receipts);
            // Lines belong to the order and are never queried alone: one JSON column.
            e.Property(o => o.Items)
                .HasColumnName("Lines")
                .HasConversion(
                    items => JsonSerializer.Serialize(items, JsonSerializerOptions.Web),
                    json => JsonSerializer.Deserialize<OrderItem[]>(json, JsonSerializerOptions.Web) ?? Array.Empty<OrderItem>(),
                    new ValueComparer<IReadOnlyList<OrderItem>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToArray()));
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
        });
    }

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
    ];
}
