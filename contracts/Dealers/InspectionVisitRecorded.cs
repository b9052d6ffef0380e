namespace Crm.Contracts.Dealers;

/// <summary>Event: an inspection visit to a dealer was recorded, with its weighted total score.</summary>
public sealed record InspectionVisitRecorded(
    Guid VisitId,
    Guid DealerId,
    string DealerCode,
    DateOnly VisitedOn,
    string InspectorId,
    decimal WeightedTotal,
    DateTimeOffset RecordedAt);
