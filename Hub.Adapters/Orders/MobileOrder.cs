using Crm.Contracts.Customers;
using Crm.Contracts.Orders;
using Hub.Adapters.Identity;
using Hub.CrmStore.Customers;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Orders;

/// <summary>
/// An order as the mobile lists show it (table <c>mobile_order</c>): a read model kept from the
/// order events, with the owner's office and region so lists can be scoped without a join.
/// </summary>
public sealed class MobileOrder
{
    public Guid OrderId { get; set; }
    public string OrderNumber { get; set; } = "";
    public string CustomerCode { get; set; } = "";
    public string OwnerUserId { get; set; } = "";
    public string OwnerOffice { get; set; } = "";
    public string OwnerRegion { get; set; } = "";
    public decimal TotalAmount { get; set; }
    public string Status { get; set; } = "Placed";
    public string? Reason { get; set; }
    /// <summary>UTC ticks of placement: sortable on both stores.</summary>
    public long PlacedAtTicks { get; set; }
    /// <summary>UTC ticks of the last state change applied, so an older event arriving late changes nothing.</summary>
    public long StatusAtTicks { get; set; }
}

/// <summary>
/// Keeps <see cref="MobileOrder"/> from <see cref="OrderPlaced"/> and <see cref="OrderStatusChanged"/>, in whichever order they arrive,
/// and re-points the orders of a merged-away customer to its survivor (<see cref="CustomersMerged"/>).
/// </summary>
public sealed class MobileOrderProjection(HubDbContext db) : IConsumer<OrderPlaced>, IConsumer<OrderStatusChanged>, IConsumer<CustomersMerged>
{
    public async Task Consume(ConsumeContext<CustomersMerged> context)
    {
        var m = context.Message;
        await db.Set<MobileOrder>().Where(o => o.CustomerCode == m.DuplicateCode)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerCode, m.SurvivorCode), context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<OrderPlaced> context)
    {
        var m = context.Message;
        var row = await Row(m.OrderId, m.OrderNumber, m.OwnerUserId, context.CancellationToken);
        // Placed for a customer merged away before this event arrived: listed under the survivor, as the merge moved the others.
        row.CustomerCode = await db.SurvivingCodeAsync(m.CustomerCode, context.CancellationToken);
        row.TotalAmount = m.TotalAmount;
        row.PlacedAtTicks = m.PlacedAt.UtcTicks;
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<OrderStatusChanged> context)
    {
        var m = context.Message;
        var row = await Row(m.OrderId, m.OrderNumber, m.OwnerUserId, context.CancellationToken);
        if (m.OccurredAt.UtcTicks >= row.StatusAtTicks)
        {
            row.Status = m.Status;
            row.Reason = m.Reason;
            row.StatusAtTicks = m.OccurredAt.UtcTicks;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    private async Task<MobileOrder> Row(Guid orderId, string number, string owner, CancellationToken ct)
    {
        var row = await db.Set<MobileOrder>().FirstOrDefaultAsync(o => o.OrderId == orderId, ct);
        if (row is not null)
            return row;
        var user = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == owner, ct);
        row = new MobileOrder { OrderId = orderId, OrderNumber = number, OwnerUserId = owner, OwnerOffice = user?.Office ?? "", OwnerRegion = user?.Region ?? "" };
        db.Add(row);
        return row;
    }
}

/// <summary>The projection runs on its own endpoint, beside push.</summary>
public sealed class MobileOrderProjectionDefinition : ConsumerDefinition<MobileOrderProjection>
{
    public MobileOrderProjectionDefinition() => EndpointName = HubQueues.MobileOrders;
}

/// <summary>Table of <see cref="MobileOrder"/>.</summary>
internal sealed class MobileOrderStoreModel : IHubStoreModel
{
    public string Module => "mobile-orders";

    public void Configure(ModelBuilder model) => model.Entity<MobileOrder>(e =>
    {
        e.ToTable("mobile_order");
        e.HasKey(o => o.OrderId);
        e.Property(o => o.OrderNumber).HasMaxLength(32);
        e.Property(o => o.CustomerCode).HasMaxLength(32);
        e.Property(o => o.OwnerUserId).HasMaxLength(64);
        e.Property(o => o.OwnerOffice).HasMaxLength(64);
        e.Property(o => o.OwnerRegion).HasMaxLength(64);
        e.Property(o => o.Status).HasMaxLength(32);
        e.HasIndex(o => new { o.OwnerUserId, o.PlacedAtTicks });
        e.HasIndex(o => new { o.OwnerOffice, o.PlacedAtTicks });
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("mobile-orders", 1, "create mobile_order", m =>
        {
            m.CreateTable("mobile_order", t => new
            {
                OrderId = t.Column<Guid>(nullable: false),
                OrderNumber = t.Column<string>(maxLength: 32, nullable: false),
                CustomerCode = t.Column<string>(maxLength: 32, nullable: false),
                OwnerUserId = t.Column<string>(maxLength: 64, nullable: false),
                OwnerOffice = t.Column<string>(maxLength: 64, nullable: false),
                OwnerRegion = t.Column<string>(maxLength: 64, nullable: false),
                TotalAmount = t.Column<decimal>(nullable: false),
                Status = t.Column<string>(maxLength: 32, nullable: false),
                Reason = t.Column<string>(nullable: true),
                PlacedAtTicks = t.Column<long>(nullable: false),
                StatusAtTicks = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_order", x => x.OrderId));
            m.CreateIndex("ix_mobile_order_owner", "mobile_order", ["OwnerUserId", "PlacedAtTicks"]);
            m.CreateIndex("ix_mobile_order_office", "mobile_order", ["OwnerOffice", "PlacedAtTicks"]);
        }),
    ];
}
