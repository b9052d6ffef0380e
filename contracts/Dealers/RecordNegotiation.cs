namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: record a meeting on the terms of cooperation with a dealer (003 §3.2.3 合作洽谈). <paramref name="Outcome"/> is
/// <c>Continuing</c>, <c>Agreed</c> or <c>Abandoned</c>. Answered with <see cref="DealerCommandAccepted"/> or <see cref="DealerCommandRejected"/>.
/// </summary>
public sealed record RecordNegotiation(
    Guid CommandId,
    Guid NegotiationId,
    Guid DealerId,
    DateOnly HeldOn,
    string Participants,
    IReadOnlyList<NegotiatedTermData> Terms,
    string Outcome,
    string Actor) : IDealerCommand;
