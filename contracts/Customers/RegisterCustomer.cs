namespace Crm.Contracts.Customers;

/// <summary>
/// Command: register a customer. Answered with <see cref="CustomerCommandAccepted"/> or
/// <see cref="CustomerCommandRejected"/>; the same command id (or customer id) again changes nothing.
/// </summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="CustomerId">Identity of the new customer, chosen by the sender.</param>
/// <param name="Profile">Descriptive data.</param>
/// <param name="OwnerSalespersonId">The salesperson who owns the customer.</param>
/// <param name="Attributes">Free attributes.</param>
/// <param name="Actor">Who asked.</param>
public sealed record RegisterCustomer(
    Guid CommandId,
    Guid CustomerId,
    CustomerProfileData Profile,
    string? OwnerSalespersonId,
    IReadOnlyList<CustomerAttributeData>? Attributes,
    string Actor);
