namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: the customer answered the follow-up with <see cref="Satisfaction"/> 1 (poor) to 5 (excellent); the ticket closes.</summary>
public sealed record RecordFollowUpAnswer(Guid TicketId, Guid CommandId, string Actor, int Satisfaction, string? Remarks,
    long? ExpectedVersion, DateTimeOffset RequestedAt) : IServiceTicketCommand;
