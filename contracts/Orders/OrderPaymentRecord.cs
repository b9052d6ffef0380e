namespace Crm.Contracts.Orders;

/// <summary>Money the ERP received for an order, part of <see cref="OrderDetails"/>; <paramref name="ReceivedOn"/> keeps the ERP's offset.</summary>
public sealed record OrderPaymentRecord(Guid ReceiptId, string ReceiptNumber, decimal Amount, DateTimeOffset ReceivedOn);
