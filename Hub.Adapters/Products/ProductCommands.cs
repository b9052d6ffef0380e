using Crm.Contracts.Products;
using Hub.Adapters.Customers;
using MassTransit;

namespace Hub.Adapters.Products;

/// <summary>
/// Sends a product or price-book command to the products endpoint and waits for its answer, so a refusal by the
/// domain reaches the phone as problem details, mapped as customer refusals are (422, 404, 409, 412).
/// </summary>
internal static class ProductCommands
{
    /// <summary>The accepted answer, or the problem to return.</summary>
    public static async Task<(ProductCommandAccepted? Accepted, IResult? Problem)> SendAsync<T>(IRequestClient<T> client, T command, CancellationToken ct) where T : class
    {
        var response = await client.GetResponse<ProductCommandAccepted, ProductCommandRejected>(command, ct);
        if (response.Is(out Response<ProductCommandAccepted>? accepted))
            return (accepted!.Message, null);
        response.Is(out Response<ProductCommandRejected>? rejected);
        return (null, CustomerCommands.ProblemOf(rejected!.Message.Reason, rejected.Message.Title, rejected.Message.Errors));
    }
}
