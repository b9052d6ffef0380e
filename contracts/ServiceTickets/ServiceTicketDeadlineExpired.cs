namespace Crm.Contracts.ServiceTickets;

/// <summary>Timeout message of the ticket saga: the ticket may have waited in <see cref="Status"/> (entered at step <see cref="Sequence"/>) past its deadline.</summary>
public sealed record ServiceTicketDeadlineExpired(Guid TicketId, string Status, int Sequence);
