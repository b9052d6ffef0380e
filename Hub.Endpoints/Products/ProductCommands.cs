using Crm.Contracts.Products;

namespace Hub.Endpoints.Products;

/// <summary>How every product and price-book command ends (<see cref="CommandOutcome{TAccepted,TRejected}"/>).</summary>
internal static class ProductCommands
{
    /// <summary>Accepted or rejected with the products' answers; the stored price book is the capability's own too.</summary>
    public static readonly CommandOutcome<ProductCommandAccepted, ProductCommandRejected> Outcome = new(
        (command, entity, version, repeated) => new ProductCommandAccepted(command, entity, version, repeated),
        (command, reason, title, errors) => new ProductCommandRejected(command, reason, title, errors),
        "Hub.CrmStore.Products");
}
