namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: the technical section passes the reviewed ticket to office <see cref="OfficeId"/> (转给办事处).</summary>
public sealed record DispatchServiceTicket(Guid TicketId, Guid CommandId, string Actor, string OfficeId, long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
