using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Customers;

/// <summary>The checks every change of an existing customer starts with.</summary>
internal static class CustomerLoading
{
    /// <summary>
    /// The customer, tracked; or null after refusing the command because it does not exist, was merged away, or
    /// is no longer at <paramref name="expectedVersion"/>.
    /// </summary>
    public static async Task<Customer?> LoadActiveCustomer(this ConsumeContext context, HubDbContext db, Guid commandId, Guid customerId,
        long? expectedVersion)
    {
        var customer = await db.Set<Customer>().FirstOrDefaultAsync(c => c.Id == customerId, context.CancellationToken);
        if (customer is null)
        {
            await Outcome.RejectNotFound(context, db, commandId, "customerId", "customer");
            return null;
        }
        if (customer.IsRetired)
        {
            await Outcome.Reject(context, db, commandId, CustomerCommandRejected.Conflict, "The customer was merged into another.",
                new Dictionary<string, string[]> { ["customerId"] = [$"customer {customer.Code} was merged into {customer.MergedIntoId} and takes no changes"] });
            return null;
        }
        if (expectedVersion is { } expected && expected != db.VersionOf(customer))
        {
            await Outcome.RejectVersion(context, db, commandId, expected, db.VersionOf(customer));
            return null;
        }
        return customer;
    }
}
