using Crm.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Infrastructure.Web;

/// <summary>RFC 7807 problem details for every REST error, including bad JSON and broken rules.</summary>
public static class HubProblemDetails
{
    /// <summary>Registers problem details and the exception-to-problem mapping.</summary>
    public static IServiceCollection AddHubProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Without this, a body that fails to bind answers a bare 400 with no explanation.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    private sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            ProblemDetails problem;
            switch (exception)
            {
                case DomainRuleViolation violation:
                    problem = new HttpValidationProblemDetails(violation.Errors.ToDictionary(e => e.Key, e => e.Value))
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "The request breaks a business rule.",
                    };
                    break;
                case BadHttpRequestException bad:
                    problem = new ProblemDetails
                    {
                        Status = bad.StatusCode,
                        Title = "The request could not be read.",
                        Detail = (bad.InnerException ?? bad).Message,
                    };
                    break;
                default:
                    logger.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
                    problem = new ProblemDetails
                    {
                        Status = StatusCodes.Status500InternalServerError,
                        Title = "The hub failed to process the request.",
                    };
                    break;
            }
            http.Response.StatusCode = problem.Status!.Value;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
        }
    }
}
