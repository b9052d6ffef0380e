using Crm.Contracts.Soap.ErpHub;

namespace Hub.Adapters.Erp;

/// <summary>Where QueryCustomer reads customers from.</summary>
public interface IErpCustomerDirectory
{
    /// <summary>The customer with <paramref name="customerCode"/>, or null when the hub holds none.</summary>
    Task<CustomerSummary?> Find(string customerCode, CancellationToken ct);
}

/// <summary>
/// The hub as built today holds no customer store (customers arrive with the customers capability, which registers its own
/// <see cref="IErpCustomerDirectory"/> in place of this one): every customer code is unknown, and QueryCustomer says so with a fault
/// rather than inventing a customer.
/// </summary>
public sealed class NoCustomerStoreDirectory : IErpCustomerDirectory
{
    public Task<CustomerSummary?> Find(string customerCode, CancellationToken ct) => Task.FromResult<CustomerSummary?>(null);
}
