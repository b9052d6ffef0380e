using Crm.Contracts.Erp;

namespace Hub.Endpoints.Erp;

/// <summary>A shipment the ERP reported against an order (table <c>erp_shipment</c>); <see cref="ReceiptId"/> is the hub's receipt.</summary>
public sealed class ErpShipment
{
    public Guid ReceiptId { get; set; }
    public string PartnerId { get; set; } = "";
    public string DocumentId { get; set; } = "";
    public Guid OrderId { get; set; }
    public string OrderNumber { get; set; } = "";
    public string ShipmentNumber { get; set; } = "";
    /// <summary>The instant in UTC (filtered and sorted on: a plain UTC column works on SQLite and PostgreSQL alike).</summary>
    public DateTime ShippedAt { get; set; }
    /// <summary>The offset the ERP wrote the time with, in minutes east of UTC (0 also for times written without one).</summary>
    public int ShippedAtOffsetMinutes { get; set; }
    /// <summary>The time as the ERP wrote it: the instant and its offset.</summary>
    public DateTimeOffset ShippedAtAsWritten => ErpRecordTime.AsWritten(ShippedAt, ShippedAtOffsetMinutes);
    public IReadOnlyList<ErpShipmentLine> Lines { get; set; } = [];
    /// <summary>When the hub recorded it (UTC).</summary>
    public DateTime RecordedAt { get; set; }
}

/// <summary>An invoice the ERP issued for an order (table <c>erp_invoice</c>).</summary>
public sealed class ErpInvoice
{
    public Guid ReceiptId { get; set; }
    public string PartnerId { get; set; } = "";
    public string DocumentId { get; set; } = "";
    public Guid OrderId { get; set; }
    public string OrderNumber { get; set; } = "";
    public string InvoiceNumber { get; set; } = "";
    public decimal Amount { get; set; }
    /// <summary>The instant in UTC.</summary>
    public DateTime IssuedAt { get; set; }
    /// <summary>The offset the ERP wrote the time with, in minutes east of UTC.</summary>
    public int IssuedAtOffsetMinutes { get; set; }
    /// <summary>The time as the ERP wrote it.</summary>
    public DateTimeOffset IssuedAtAsWritten => ErpRecordTime.AsWritten(IssuedAt, IssuedAtOffsetMinutes);
    public DateTime RecordedAt { get; set; }
}

/// <summary>Money the ERP received for an order (table <c>erp_payment_receipt</c>).</summary>
public sealed class ErpPaymentReceipt
{
    public Guid ReceiptId { get; set; }
    public string PartnerId { get; set; } = "";
    public string DocumentId { get; set; } = "";
    public Guid OrderId { get; set; }
    public string OrderNumber { get; set; } = "";
    /// <summary>The ERP's own receipt number.</summary>
    public string ReceiptNumber { get; set; } = "";
    public decimal Amount { get; set; }
    /// <summary>The instant in UTC.</summary>
    public DateTime ReceivedOn { get; set; }
    /// <summary>The offset the ERP wrote the time with, in minutes east of UTC: the receipt's business day is the ERP's own.</summary>
    public int ReceivedOnOffsetMinutes { get; set; }
    /// <summary>The time as the ERP wrote it.</summary>
    public DateTimeOffset ReceivedOnAsWritten => ErpRecordTime.AsWritten(ReceivedOn, ReceivedOnOffsetMinutes);
    public DateTime RecordedAt { get; set; }
}

/// <summary>The latest stock of a product in a warehouse as the ERP reported it (table <c>erp_stock_level</c>).</summary>
public sealed class ErpStockLevel
{
    public string ProductCode { get; set; } = "";
    public string Warehouse { get; set; } = "";
    public int Quantity { get; set; }
    /// <summary>When the hub accepted the report now in force (UTC); an older report is ignored.</summary>
    public DateTime ReportedAt { get; set; }
    /// <summary>The receipt of the report now in force.</summary>
    public Guid ReceiptId { get; set; }
}

/// <summary>A product of the ERP's master data as last reported (table <c>erp_product</c>).</summary>
public sealed class ErpProduct
{
    public string ProductCode { get; set; } = "";
    public string Name { get; set; } = "";
    public string? SpecModel { get; set; }
    /// <summary>A <c>Crm.Domain.Products.ProductState</c> name.</summary>
    public string State { get; set; } = "";
    /// <summary>When the hub accepted the change now in force (UTC); an older change is ignored.</summary>
    public DateTime ChangedAt { get; set; }
    public Guid ReceiptId { get; set; }
}

/// <summary>An ERP time stored as a UTC instant plus the offset it was written with.</summary>
public static class ErpRecordTime
{
    /// <summary>The stored instant (UTC, whatever kind the store read it as) at its offset.</summary>
    public static DateTimeOffset AsWritten(DateTime utc, int offsetMinutes) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    /// <summary>The offset of <paramref name="value"/> in whole minutes (xs:dateTime offsets are whole minutes).</summary>
    public static int OffsetMinutes(DateTimeOffset value) => (int)value.Offset.TotalMinutes;
}
