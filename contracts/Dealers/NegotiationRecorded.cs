namespace Crm.Contracts.Dealers;

/// <summary>Event: a negotiation with a dealer was recorded.</summary>
public sealed record NegotiationRecorded(
    Guid NegotiationId,
    Guid DealerId,
    string DealerCode,
    DateOnly HeldOn,
    string Outcome,
    string RecordedBy,
    DateTimeOffset RecordedAt);
