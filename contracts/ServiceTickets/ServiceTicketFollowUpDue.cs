namespace Crm.Contracts.ServiceTickets;

/// <summary>Timeout message of the ticket saga: follow-up visit <see cref="VisitId"/> was due after <see cref="Attempts"/> calls; unanswered, it is rescheduled.</summary>
public sealed record ServiceTicketFollowUpDue(Guid TicketId, Guid VisitId, int Attempts);
