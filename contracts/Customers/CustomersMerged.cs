namespace Crm.Contracts.Customers;

/// <summary>
/// Event: a duplicate customer was merged into its survivor. Read models re-point what they hold of the
/// duplicate (by id or by code) to the survivor. <paramref name="TicketIds"/> lists the service tickets that were the duplicate's
/// when the merge was decided (null from a hub before it said).
/// </summary>
public sealed record CustomersMerged(
    Guid SurvivorId,
    string SurvivorCode,
    Guid DuplicateId,
    string DuplicateCode,
    IReadOnlyList<Guid> ContactIds,
    IReadOnlyList<Guid> OrderIds,
    IReadOnlyList<string> FieldsFilled,
    IReadOnlyList<string> AttributeKeysTaken,
    DateTimeOffset At,
    string Actor,
    IReadOnlyList<Guid>? TicketIds = null);
