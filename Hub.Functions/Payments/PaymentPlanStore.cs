using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Payments;

/// <summary>One instalment of an order's payment plan, as the reminders need it (table <c>payment_instalment</c>).</summary>
public sealed class PaymentInstalmentRow
{
    /// <summary>The order.</summary>
    public Guid OrderId { get; set; }
    /// <summary>1 for the first instalment.</summary>
    public int Sequence { get; set; }
    /// <summary>The order's number.</summary>
    public string OrderNumber { get; set; } = "";
    /// <summary>Who pays.</summary>
    public string CustomerCode { get; set; } = "";
    /// <summary>Currency of the amount.</summary>
    public string Currency { get; set; } = "";
    /// <summary>When it falls due.</summary>
    public DateOnly DueOn { get; set; }
    /// <summary>Amount due.</summary>
    public decimal Amount { get; set; }
}

/// <summary>Money received for an order (table <c>payment_receipt</c>); counted against its instalments earliest first.</summary>
public sealed class PaymentReceiptRow
{
    /// <summary>The receipt's id; a repeat is ignored.</summary>
    public Guid ReceiptId { get; set; }
    /// <summary>The order.</summary>
    public Guid OrderId { get; set; }
    /// <summary>Amount received.</summary>
    public decimal Amount { get; set; }
}

internal sealed class PaymentPlanStoreModel : IHubStoreModel
{
    public string Module => "payment-reminders";

    public void Configure(ModelBuilder model)
    {
        model.Entity<PaymentInstalmentRow>(e =>
        {
            e.ToTable("payment_instalment");
            e.HasKey(i => new { i.OrderId, i.Sequence });
            e.Property(i => i.OrderNumber).HasMaxLength(64);
            e.Property(i => i.CustomerCode).HasMaxLength(64);
            e.Property(i => i.Currency).HasMaxLength(8);
            e.Property(i => i.Amount).HasPrecision(18, 2);
            e.HasIndex(i => i.DueOn);
        });
        model.Entity<PaymentReceiptRow>(e =>
        {
            e.ToTable("payment_receipt");
            e.HasKey(r => r.ReceiptId);
            e.Property(r => r.Amount).HasPrecision(18, 2);
            e.HasIndex(r => r.OrderId);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("payment-reminders", 1, "create payment_instalment and payment_receipt", m =>
        {
            m.CreateTable("payment_instalment", t => new
            {
                OrderId = t.Column<Guid>(nullable: false),
                Sequence = t.Column<int>(nullable: false),
                OrderNumber = t.Column<string>(maxLength: 64, nullable: false),
                CustomerCode = t.Column<string>(maxLength: 64, nullable: false),
                Currency = t.Column<string>(maxLength: 8, nullable: false),
                DueOn = t.Column<DateOnly>(nullable: false),
                Amount = t.Column<decimal>(precision: 18, scale: 2, nullable: false),
            }, constraints: t => t.PrimaryKey("pk_payment_instalment", x => new { x.OrderId, x.Sequence }));
            m.CreateIndex("ix_payment_instalment_due", "payment_instalment", "DueOn");
            m.CreateTable("payment_receipt", t => new
            {
                ReceiptId = t.Column<Guid>(nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                Amount = t.Column<decimal>(precision: 18, scale: 2, nullable: false),
            }, constraints: t => t.PrimaryKey("pk_payment_receipt", x => x.ReceiptId));
            m.CreateIndex("ix_payment_receipt_order", "payment_receipt", "OrderId");
        }),
    ];
}
