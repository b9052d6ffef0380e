using Crm.Contracts.Customers;
using MassTransit;

namespace Hub.Adapters.Customers;

/// <summary>
/// Sends a customer or contact command to the customers endpoint and waits for its answer, so a refusal by
/// the domain reaches the phone as problem details: 422 with field errors for broken rules, 409 for a clash
/// with what is stored, 412 for a stale version, 404 for a missing entity.
/// </summary>
internal static class CustomerCommands
{
    /// <summary>The accepted answer, or the problem to return.</summary>
    public static async Task<(CustomerCommandAccepted? Accepted, IResult? Problem)> SendAsync<T>(IRequestClient<T> client, T command, CancellationToken ct) where T : class
    {
        var response = await client.GetResponse<CustomerCommandAccepted, CustomerCommandRejected>(command, ct);
        if (response.Is(out Response<CustomerCommandAccepted>? accepted))
            return (accepted!.Message, null);
        response.Is(out Response<CustomerCommandRejected>? rejected);
        return (null, ProblemOf(rejected!.Message.Reason, rejected.Message.Title, rejected.Message.Errors));
    }

    /// <summary>The problem details of a refusal; product refusals use the same reasons (<see cref="CustomerCommandRejected.Invalid"/> …).</summary>
    internal static IResult ProblemOf(string reason, string title, IReadOnlyDictionary<string, string[]> refused)
    {
        var errors = refused.ToDictionary(e => e.Key, e => e.Value);
        var (status, type) = reason switch
        {
            CustomerCommandRejected.Invalid => (StatusCodes.Status422UnprocessableEntity, "urn:crm-hub:problem:business-rule"),
            CustomerCommandRejected.NotFound => (StatusCodes.Status404NotFound, "urn:crm-hub:problem:not-found"),
            CustomerCommandRejected.VersionMismatch => (StatusCodes.Status412PreconditionFailed, "urn:crm-hub:problem:stale-version"),
            _ => (StatusCodes.Status409Conflict, "urn:crm-hub:problem:conflict"),
        };
        return TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = status, Title = title, Type = type });
    }
}
