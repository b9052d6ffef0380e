namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Command: the office supervisor issues field work order <see cref="FieldWorkOrderId"/> (派工单) to an engineer: the first
/// one of a dispatched ticket, or a reassignment while the current one is not accepted or after parts were needed.
/// <see cref="SiteAddress"/> and <see cref="ScheduledFor"/> travel to the engineer's notification.
/// </summary>
public sealed record AssignFieldEngineer(
    Guid TicketId,
    Guid CommandId,
    string Actor,
    Guid FieldWorkOrderId,
    string EngineerUserId,
    string EngineerName,
    string? SiteAddress,
    DateTimeOffset? ScheduledFor,
    long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
