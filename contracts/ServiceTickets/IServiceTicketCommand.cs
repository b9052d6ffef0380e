namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// What every command on an existing service ticket carries. <see cref="CommandId"/> identifies the step: the same
/// command sent again (a retried request, a redelivery) finds it in the ticket's history and changes nothing.
/// </summary>
public interface IServiceTicketCommand
{
    /// <summary>The ticket.</summary>
    Guid TicketId { get; }

    /// <summary>Identity of this step, chosen by the sender (derived from the caller's idempotency key over REST).</summary>
    Guid CommandId { get; }

    /// <summary>User id of the person acting, or the name of the saga.</summary>
    string Actor { get; }

    /// <summary>The ticket version the caller saw (its ETag); a ticket changed since is refused as a conflict. Null: no check.</summary>
    long? ExpectedVersion { get; }

    /// <summary>When the caller asked.</summary>
    DateTimeOffset RequestedAt { get; }
}
