namespace Crm.Contracts.Customers;

/// <summary>Event: a customer's record was set back to its values as of <paramref name="AsOf"/>.</summary>
public sealed record CustomerRestored(Guid CustomerId, string Code, DateTimeOffset AsOf, DateTimeOffset At, string Actor);
