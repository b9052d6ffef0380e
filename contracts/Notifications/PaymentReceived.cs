namespace Crm.Contracts.Notifications;

/// <summary>
/// Event: money came in for an order (003 §3.4.2 实际收款) and the order took it as a receipt, whichever system reported it.
/// <paramref name="ReceiptId"/> identifies it; a repeat changes nothing. Published only once the order accepted the receipt,
/// so everyone who counts money (payment reminders, the dealers' achievement ledger) counts exactly the order's receipts.
/// </summary>
/// <param name="ReceiptId">The receipt on the order: the ERP document's receipt, or one derived from billing's event id.</param>
/// <param name="OrderId">The order.</param>
/// <param name="OrderNumber">The order's number.</param>
/// <param name="Amount">Amount received.</param>
/// <param name="ReceivedOn">Business day of the receipt, as the reporting system wrote it.</param>
/// <param name="Source">Who reported it: <see cref="PaymentSources.Erp"/> or <see cref="PaymentSources.Billing"/>; null from hubs before sources were told apart (ERP).</param>
/// <param name="CustomerCode">Who paid.</param>
/// <param name="OwnerUserId">The order's salesperson.</param>
/// <param name="Reference">The reporting system's own reference (ERP receipt number, billing charge id).</param>
/// <param name="ReceivedAmount">Everything received for the order so far, this receipt included.</param>
public sealed record PaymentReceived(Guid ReceiptId, Guid OrderId, string OrderNumber, decimal Amount, DateOnly ReceivedOn,
    string? Source = null, string? CustomerCode = null, string? OwnerUserId = null, string? Reference = null, decimal? ReceivedAmount = null);
