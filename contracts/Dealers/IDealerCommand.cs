namespace Crm.Contracts.Dealers;

/// <summary>
/// What every dealer command carries. <see cref="CommandId"/> identifies it: the same command sent again (a retried request,
/// a redelivery) changes nothing and gets the first answer, <see cref="DealerCommandAccepted"/> or <see cref="DealerCommandRejected"/>.
/// </summary>
public interface IDealerCommand
{
    /// <summary>Identity of this command, chosen by the sender (derived from the caller's idempotency key over REST).</summary>
    Guid CommandId { get; }

    /// <summary>User id of the person acting.</summary>
    string Actor { get; }
}
