namespace Crm.Contracts.Customers;

/// <summary>Event: a customer's value and credit grades were recorded.</summary>
public sealed record CustomerGraded(Guid CustomerId, string Code, string ValueGrade, string CreditGrade, DateTimeOffset At, string Actor);
