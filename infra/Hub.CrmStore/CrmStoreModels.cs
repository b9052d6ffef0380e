using Hub.CrmStore.Customers;
using Hub.CrmStore.Dealers;
using Hub.CrmStore.Products;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.CrmStore;

/// <summary>
/// The CRM domain's tables in the hub database. Each capability contributes its own
/// <see cref="IHubStoreModel"/> (its own migration versions), so capabilities mapped by different people
/// never collide on a version number.
/// </summary>
public static class CrmStoreModels
{
    /// <summary>Name of the shadow row-version column of versioned aggregates (the ETag of their resources).</summary>
    public const string Version = "Version";

    /// <summary>
    /// Registers the CRM mappings. Every host that reads or writes the CRM tables calls it; calling it again
    /// (two modules in one process) registers nothing twice.
    /// </summary>
    public static IServiceCollection AddCrmStore(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubStoreModel, HandledCommandsStoreModel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubStoreModel, CustomersStoreModel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubStoreModel, ProductsStoreModel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubStoreModel, DealersStoreModel>());
        return services;
    }

    /// <summary>The stored version of a tracked aggregate (0 before its first save).</summary>
    public static long VersionOf<T>(this DbContext db, T aggregate) where T : class =>
        db.Entry(aggregate).Property<long>(Version).CurrentValue;

    /// <summary>
    /// Moves a tracked aggregate to its next version: the update then only succeeds against the version it
    /// was loaded at (optimistic concurrency), and clients' ETags change.
    /// </summary>
    public static long NextVersion<T>(this DbContext db, T aggregate) where T : class
    {
        var version = db.Entry(aggregate).Property<long>(Version);
        version.CurrentValue++;
        return version.CurrentValue;
    }
}
