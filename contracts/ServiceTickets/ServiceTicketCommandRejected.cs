namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Answer to a ticket command that a business rule refused: messages per field (camelCase). <see cref="Conflict"/> when the
/// ticket changed since <see cref="IServiceTicketCommand.ExpectedVersion"/>; <see cref="CurrentVersion"/> is its version now.
/// </summary>
public sealed record ServiceTicketCommandRejected(Guid TicketId, IReadOnlyDictionary<string, string[]> Errors, bool Conflict, long CurrentVersion);
