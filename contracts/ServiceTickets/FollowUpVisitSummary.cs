namespace Crm.Contracts.ServiceTickets;

/// <summary>A follow-up visit (回访) as it stands: <see cref="Status"/> is Scheduled, Answered or Unreachable.</summary>
public sealed record FollowUpVisitSummary(Guid VisitId, string AssignedTo, DateTimeOffset DueAt, int Attempts, string Status, int? Satisfaction, string? Remarks);
