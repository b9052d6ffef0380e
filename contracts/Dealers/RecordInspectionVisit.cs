namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: record our visit to a dealer and its scores (003 §3.2.2 经销商考察: 资质, 资产, 经验, 经营场所 …).
/// <paramref name="VisitId"/> is chosen by the caller. Answered with <see cref="DealerCommandAccepted"/> or <see cref="DealerCommandRejected"/>.
/// </summary>
public sealed record RecordInspectionVisit(
    Guid CommandId,
    Guid VisitId,
    Guid DealerId,
    DateOnly VisitedOn,
    IReadOnlyList<InspectionCriterionScore> Scores,
    string? Notes,
    string Actor) : IDealerCommand;
