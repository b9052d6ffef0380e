namespace Crm.Contracts.Customers;

/// <summary>Command: replace a customer's descriptive data (the code stays). Answered like <see cref="RegisterCustomer"/>.</summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Profile">The new descriptive data.</param>
/// <param name="Attributes">The new set of attributes; <c>null</c> leaves them as they are.</param>
/// <param name="ExpectedVersion">The version the change was made from; another version refuses it (<see cref="CustomerCommandRejected.VersionMismatch"/>).</param>
/// <param name="Actor">Who asked.</param>
public sealed record UpdateCustomerProfile(
    Guid CommandId,
    Guid CustomerId,
    CustomerProfileData Profile,
    IReadOnlyList<CustomerAttributeData>? Attributes,
    long? ExpectedVersion,
    string Actor);
