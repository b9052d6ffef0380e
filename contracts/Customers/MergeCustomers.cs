namespace Crm.Contracts.Customers;

/// <summary>
/// Command: merge a confirmed duplicate into its survivor (003 §3.1.1): contacts and orders move to the
/// survivor, blank fields of the survivor take the duplicate's values, the duplicate is retired and the
/// merge recorded. Answered like <see cref="RegisterCustomer"/> (entity: the survivor).
/// </summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="SurvivorId">The customer that stays.</param>
/// <param name="DuplicateId">The customer retired into it.</param>
/// <param name="Actor">Who confirmed the merge.</param>
public sealed record MergeCustomers(Guid CommandId, Guid SurvivorId, Guid DuplicateId, string Actor);
