namespace Crm.Contracts.Dealers;

/// <summary>
/// Event: an agency contract took a step of its approval workflow. <paramref name="Step"/> is <c>Drafted</c>, <c>Revised</c>,
/// <c>Submitted</c>, <c>Approved</c>, <c>Rejected</c> or <c>Signed</c>; <paramref name="From"/> is null for a new draft.
/// </summary>
public sealed record AgencyContractStatusChanged(
    Guid ContractId,
    string ContractNumber,
    Guid DealerId,
    string DealerCode,
    string Step,
    string? From,
    string To,
    string Actor,
    string? Reason,
    long Version,
    DateTimeOffset At);
