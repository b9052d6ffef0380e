using Crm.Contracts.Soap.ErpHub;
using Crm.Domain.Customers;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Erp;

/// <summary>Where QueryCustomer reads customers from.</summary>
public interface IErpCustomerDirectory
{
    /// <summary>The customer with <paramref name="customerCode"/>, or null when the hub holds none.</summary>
    Task<CustomerSummary?> Find(string customerCode, CancellationToken ct);
}

/// <summary>
/// The customers of the hub's CRM store, as an ERP sees them: every customer (an ERP is a partner system with the whole
/// book in scope), its name, status and email; a customer merged into another answers <c>merged-into:&lt;code&gt;</c>
/// so the ERP can re-point its records.
/// </summary>
public sealed class CrmStoreCustomerDirectory(HubDbContext db) : IErpCustomerDirectory
{
    public async Task<CustomerSummary?> Find(string customerCode, CancellationToken ct)
    {
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Code == customerCode, ct);
        if (customer is null)
            return null;
        var survivor = customer.MergedIntoId is { } into
            ? await db.Set<Customer>().AsNoTracking().Where(c => c.Id == into).Select(c => c.Code).FirstOrDefaultAsync(ct)
            : null;
        return new CustomerSummary
        {
            CustomerCode = customer.Code,
            Name = customer.Name,
            Status = survivor is null ? "active" : $"merged-into:{survivor}",
            Email = customer.Email,
        };
    }
}
