using System.Xml.Linq;
using Hub.Soap.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Soap.Server;

public static class SoapEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a SOAP service at <paramref name="pattern"/>: POST for SOAP 1.1 and 1.2 calls, GET <c>?wsdl</c> / <c>?singleWsdl</c>
    /// for the WSDL with its address rewritten from the request. Uses <see cref="SoapServerOptions"/>, <see cref="ISoapNonceCache"/>,
    /// <see cref="ISoapCredentialStore"/> and <see cref="TimeProvider"/> from DI when registered (see <see cref="SoapServiceCollectionExtensions.AddSoapServer"/>).
    /// </summary>
    public static IEndpointConventionBuilder MapSoapService(this IEndpointRouteBuilder endpoints, string pattern, SoapServiceDescription service)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(service);

        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptions<SoapServerOptions>>()?.Value ?? new SoapServerOptions();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var nonces = services.GetService<ISoapNonceCache>() ?? new InMemorySoapNonceCache(time);
        var credentials = service.CredentialStore ?? services.GetService<ISoapCredentialStore>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Hub.Soap.Server.SoapEndpoint") ?? NullLogger.Instance;

        if (service.Operations.Count == 0)
        {
            throw new InvalidOperationException($"SOAP service {service.Name} has no operations.");
        }

        if (service.RequireSecurity && credentials is null)
        {
            throw new InvalidOperationException(
                $"SOAP service {service.Name} requires security but no ISoapCredentialStore is set on it or registered.");
        }

        if (service.ValidateAgainstWsdl && service.GetWsdl() is { } wsdl)
        {
            WsdlConsistency.ThrowIfInconsistent(service, wsdl);
        }

        var endpoint = new SoapEndpoint(service, options, new UsernameTokenAuthenticator(options, nonces, time), credentials, logger);
        return endpoints
            .MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], (RequestDelegate)endpoint.HandleAsync)
            .WithDisplayName($"SOAP {service.Name}");
    }
}

public static class SoapServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SoapServerOptions"/>, <see cref="TimeProvider"/> and the in-memory nonce cache.</summary>
    public static IServiceCollection AddSoapServer(this IServiceCollection services, Action<SoapServerOptions>? configure = null)
    {
        var builder = services.AddOptions<SoapServerOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISoapNonceCache>(sp => new InMemorySoapNonceCache(sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Registers a <see cref="ConfigurationSoapCredentialStore"/> over <paramref name="partnersSection"/> (partner id → Username/Password).</summary>
    public static IServiceCollection AddSoapCredentialStore(this IServiceCollection services, IConfiguration partnersSection)
    {
        services.AddSingleton<ISoapCredentialStore>(new ConfigurationSoapCredentialStore(partnersSection));
        return services;
    }
}

/// <summary>Checks that a service's operations agree with its WSDL (actions and schema elements).</summary>
public static class WsdlConsistency
{
    private static readonly XNamespace Wsdl = SoapConstants.WsdlNamespace;
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    /// <summary>The list of disagreements (empty when consistent).</summary>
    public static IReadOnlyList<string> Check(SoapServiceDescription service, XDocument wsdl)
    {
        var problems = new List<string>();
        var actions = wsdl.Descendants()
            .Where(e => e.Name.LocalName == "operation" &&
                        e.Name.NamespaceName is SoapConstants.WsdlSoap11Namespace or SoapConstants.WsdlSoap12Namespace)
            .Select(e => (string?)e.Attribute("soapAction"))
            .Where(a => a is not null)
            .ToHashSet(StringComparer.Ordinal);

        var elements = wsdl.Descendants(Wsdl + "types")
            .Elements(Xs + "schema")
            .SelectMany(schema => schema.Elements(Xs + "element")
                .Select(e => XName.Get((string?)e.Attribute("name") ?? string.Empty, (string?)schema.Attribute("targetNamespace") ?? string.Empty)))
            .ToHashSet();

        foreach (var operation in service.Operations)
        {
            if (!actions.Contains(operation.Action))
            {
                problems.Add($"{operation.Name}: action '{operation.Action}' is not a soapAction of the WSDL");
            }

            if (!elements.Contains(operation.RequestElement))
            {
                problems.Add($"{operation.Name}: request element {operation.RequestElement} is not declared in the WSDL schema");
            }

            if (!elements.Contains(operation.ResponseElement))
            {
                problems.Add($"{operation.Name}: response element {operation.ResponseElement} is not declared in the WSDL schema");
            }
        }

        return problems;
    }

    public static void ThrowIfInconsistent(SoapServiceDescription service, XDocument wsdl)
    {
        var problems = Check(service, wsdl);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"SOAP service {service.Name} disagrees with its WSDL: {string.Join("; ", problems)}");
        }
    }
}
