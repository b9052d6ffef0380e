namespace Crm.Contracts.Customers;

/// <summary>Command: hand a customer to another salesperson. Answered like <see cref="RegisterCustomer"/>.</summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="OwnerSalespersonId">The new owner.</param>
/// <param name="ExpectedVersion">The version the change was made from, if the sender knows it.</param>
/// <param name="Actor">Who asked.</param>
public sealed record AssignCustomerOwner(Guid CommandId, Guid CustomerId, string OwnerSalespersonId, long? ExpectedVersion, string Actor);
