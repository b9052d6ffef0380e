using Hub.Persistence.History;
using System.Text.Json;
using Crm.Contracts.Erp;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Hub.Endpoints.Erp;

/// <summary>Tables of what the ERP reports: shipments, invoices, payment receipts, stock levels and product master data.</summary>
internal sealed class ErpRecordsStoreModel : IHubStoreModel
{
    public string Module => "erp-records";

    public void Configure(ModelBuilder model)
    {
        model.Entity<ErpShipment>(e =>
        {
            e.ToTable("erp_shipment");
            e.HasKey(s => s.ReceiptId);
            e.Property(s => s.PartnerId).HasMaxLength(64);
            e.Property(s => s.DocumentId).HasMaxLength(128);
            e.Property(s => s.OrderNumber).HasMaxLength(32);
            e.Property(s => s.ShipmentNumber).HasMaxLength(64);
            e.HasIndex(s => s.OrderNumber);
            e.Ignore(s => s.ShippedAtAsWritten);
            // Lines belong to the shipment and are never queried alone: one JSON column.
            e.Property(s => s.Lines).HasConversion(
                lines => JsonSerializer.Serialize(lines, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<ErpShipmentLine[]>(json, JsonSerializerOptions.Web) ?? Array.Empty<ErpShipmentLine>(),
                new ValueComparer<IReadOnlyList<ErpShipmentLine>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToArray()));
        });
        model.Entity<ErpInvoice>(e =>
        {
            e.ToTable("erp_invoice");
            e.HasKey(i => i.ReceiptId);
            e.Property(i => i.PartnerId).HasMaxLength(64);
            e.Property(i => i.DocumentId).HasMaxLength(128);
            e.Property(i => i.OrderNumber).HasMaxLength(32);
            e.Property(i => i.InvoiceNumber).HasMaxLength(64);
            e.HasIndex(i => i.OrderNumber);
            e.Ignore(i => i.IssuedAtAsWritten);
        });
        model.Entity<ErpPaymentReceipt>(e =>
        {
            e.ToTable("erp_payment_receipt");
            e.HasKey(r => r.ReceiptId);
            e.Property(r => r.PartnerId).HasMaxLength(64);
            e.Property(r => r.DocumentId).HasMaxLength(128);
            e.Property(r => r.OrderNumber).HasMaxLength(32);
            e.Property(r => r.ReceiptNumber).HasMaxLength(64);
            e.HasIndex(r => r.OrderNumber);
            e.Ignore(r => r.ReceivedOnAsWritten);
        });
        model.Entity<ErpStockLevel>(e =>
        {
            e.ToTable("erp_stock_level");
            e.HasKey(s => new { s.ProductCode, s.Warehouse });
            e.Property(s => s.ProductCode).HasMaxLength(64);
            e.Property(s => s.Warehouse).HasMaxLength(64);
        });
        model.Entity<ErpProduct>(e =>
        {
            e.KeepsHistory();
            e.ToTable("erp_product");
            e.HasKey(p => p.ProductCode);
            e.Property(p => p.ProductCode).HasMaxLength(64);
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.SpecModel).HasMaxLength(64);
            e.Property(p => p.State).HasMaxLength(16);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("erp-records", 1, "create erp_shipment, erp_invoice, erp_payment_receipt, erp_stock_level, erp_product", m =>
        {
            m.CreateTable("erp_shipment", t => new
            {
                ReceiptId = t.Column<Guid>(nullable: false),
                PartnerId = t.Column<string>(maxLength: 64, nullable: false),
                DocumentId = t.Column<string>(maxLength: 128, nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                OrderNumber = t.Column<string>(maxLength: 32, nullable: false),
                ShipmentNumber = t.Column<string>(maxLength: 64, nullable: false),
                ShippedAt = t.Column<DateTime>(nullable: false),
                Lines = t.Column<string>(nullable: false),
                RecordedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_erp_shipment", x => x.ReceiptId));
            m.CreateIndex("ix_erp_shipment_order", "erp_shipment", "OrderNumber");

            m.CreateTable("erp_invoice", t => new
            {
                ReceiptId = t.Column<Guid>(nullable: false),
                PartnerId = t.Column<string>(maxLength: 64, nullable: false),
                DocumentId = t.Column<string>(maxLength: 128, nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                OrderNumber = t.Column<string>(maxLength: 32, nullable: false),
                InvoiceNumber = t.Column<string>(maxLength: 64, nullable: false),
                Amount = t.Column<decimal>(nullable: false),
                IssuedAt = t.Column<DateTime>(nullable: false),
                RecordedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_erp_invoice", x => x.ReceiptId));
            m.CreateIndex("ix_erp_invoice_order", "erp_invoice", "OrderNumber");

            m.CreateTable("erp_payment_receipt", t => new
            {
                ReceiptId = t.Column<Guid>(nullable: false),
                PartnerId = t.Column<string>(maxLength: 64, nullable: false),
                DocumentId = t.Column<string>(maxLength: 128, nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                OrderNumber = t.Column<string>(maxLength: 32, nullable: false),
                ReceiptNumber = t.Column<string>(maxLength: 64, nullable: false),
                Amount = t.Column<decimal>(nullable: false),
                ReceivedOn = t.Column<DateTime>(nullable: false),
                RecordedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_erp_payment_receipt", x => x.ReceiptId));
            m.CreateIndex("ix_erp_payment_receipt_order", "erp_payment_receipt", "OrderNumber");

            m.CreateTable("erp_stock_level", t => new
            {
                ProductCode = t.Column<string>(maxLength: 64, nullable: false),
                Warehouse = t.Column<string>(maxLength: 64, nullable: false),
                Quantity = t.Column<int>(nullable: false),
                ReportedAt = t.Column<DateTime>(nullable: false),
                ReceiptId = t.Column<Guid>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_erp_stock_level", x => new { x.ProductCode, x.Warehouse }));

            m.CreateTable("erp_product", t => new
            {
                ProductCode = t.Column<string>(maxLength: 64, nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                SpecModel = t.Column<string>(maxLength: 64, nullable: true),
                State = t.Column<string>(maxLength: 16, nullable: false),
                ChangedAt = t.Column<DateTime>(nullable: false),
                ReceiptId = t.Column<Guid>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_erp_product", x => x.ProductCode));
        }),
        // The ERP's offset is kept beside the UTC instant; rows recorded before it have none on record (0: read as UTC).
        new("erp-records", 2, "keep the offset of shipment, invoice and payment receipt times", m =>
        {
            m.AddColumn<int>("ShippedAtOffsetMinutes", "erp_shipment", nullable: false, defaultValue: 0);
            m.AddColumn<int>("IssuedAtOffsetMinutes", "erp_invoice", nullable: false, defaultValue: 0);
            m.AddColumn<int>("ReceivedOnOffsetMinutes", "erp_payment_receipt", nullable: false, defaultValue: 0);
        }),
    ];
}
