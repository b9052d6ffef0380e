namespace Crm.Contracts.Notifications;

/// <summary>One instalment of a payment plan: number (1..), due date and amount.</summary>
public sealed record PaymentInstalment(int Sequence, DateOnly DueOn, decimal Amount);
