namespace Crm.Contracts.ServiceTickets;

/// <summary>Command (from the ticket saga): schedule follow-up visit <see cref="VisitId"/> (回访) by <see cref="AssignedTo"/>, to be answered by <see cref="DueAt"/>.</summary>
public sealed record ScheduleServiceTicketFollowUp(Guid TicketId, Guid CommandId, string Actor, Guid VisitId, string AssignedTo,
    DateTimeOffset DueAt, long? ExpectedVersion, DateTimeOffset RequestedAt) : IServiceTicketCommand;
