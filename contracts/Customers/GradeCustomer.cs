namespace Crm.Contracts.Customers;

/// <summary>Command: record a customer's value and credit grades. Answered like <see cref="RegisterCustomer"/>.</summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="ValueGrade">Ungraded, A, B, C or D.</param>
/// <param name="CreditGrade">Unrated, AAA, AA, A, B or C.</param>
/// <param name="ExpectedVersion">The version the change was made from, if the sender knows it.</param>
/// <param name="Actor">Who asked.</param>
public sealed record GradeCustomer(Guid CommandId, Guid CustomerId, string ValueGrade, string CreditGrade, long? ExpectedVersion, string Actor);
