namespace Crm.Contracts.Notifications;

/// <summary>Event: the customer agreed to pay an order in these instalments (003 §3.4.2 收款计划). A later plan for the same order replaces it.</summary>
public sealed record PaymentPlanAgreed(
    Guid OrderId,
    string OrderNumber,
    string CustomerCode,
    string Currency,
    IReadOnlyList<PaymentInstalment> Instalments,
    DateTimeOffset AgreedAt);
