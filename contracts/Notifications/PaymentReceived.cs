namespace Crm.Contracts.Notifications;

/// <summary>Event: money came in for an order (003 §3.4.2 实际收款). <paramref name="ReceiptId"/> identifies it; a repeat changes nothing.</summary>
public sealed record PaymentReceived(Guid ReceiptId, Guid OrderId, string OrderNumber, decimal Amount, DateOnly ReceivedOn);
