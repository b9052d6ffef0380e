using System.Xml.Serialization;
using Hub.Soap.Security;
using Hub.Soap.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Soap.Tests.Infrastructure;

[XmlRoot("Echo", Namespace = EchoService.Ns)]
[XmlType("Echo", Namespace = EchoService.Ns)]
public sealed class EchoRequest
{
    [XmlElement("text")]
    public string Text { get; set; } = string.Empty;
}

[XmlRoot("EchoResponse", Namespace = EchoService.Ns)]
[XmlType("EchoResponse", Namespace = EchoService.Ns)]
public sealed class EchoResponse
{
    [XmlElement("text", Order = 0)]
    public string Text { get; set; } = string.Empty;

    [XmlElement("partnerId", Order = 1)]
    public string? PartnerId { get; set; }

    [XmlElement("version", Order = 2)]
    public string Version { get; set; } = string.Empty;

    [XmlElement("action", Order = 3)]
    public string Action { get; set; } = string.Empty;
}

[XmlRoot("Explode", Namespace = EchoService.Ns)]
[XmlType("Explode", Namespace = EchoService.Ns)]
public sealed class ExplodeRequest
{
    [XmlElement("how")]
    public string How { get; set; } = string.Empty;
}

/// <summary>A fault detail type without a declared namespace: it takes the service's.</summary>
public sealed class PlainDetail
{
    public string Why { get; set; } = string.Empty;
}

/// <summary>A small test service: Echo returns what the handler saw; Explode throws.</summary>
public static class EchoService
{
    public const string Ns = "urn:test:echo";
    public const string EchoAction = Ns + "/Echo";
    public const string ExplodeAction = Ns + "/Explode";
    public const string PartnerId = "erp-partner";
    public const string Username = "erp";
    public const string Password = "digest-me";
    public const string SecretMessage = "connection string Server=db;Password=hunter2";

    public static string EchoBody(string text = "hi") => $"<Echo xmlns=\"{Ns}\"><text>{text}</text></Echo>";

    public static SoapServiceDescription Create(bool requireSecurity) =>
        new SoapServiceDescription("EchoService", Ns) { RequireSecurity = requireSecurity }
            .AddOperation<EchoRequest, EchoResponse>(EchoAction, (request, context) => Task.FromResult(new EchoResponse
            {
                Text = request.Text,
                PartnerId = context.PartnerId,
                Version = context.Version.ToString(),
                Action = context.Action + " " + context.HttpContext.Request.Path,
            }))
            .AddOperation<ExplodeRequest, EchoResponse>(ExplodeAction, (request, _) => request.How switch
            {
                "fault" => throw new SoapFaultException(SoapFaultCode.Client, "No.", new PlainDetail { Why = "because" }),
                "server" => throw new SoapFaultException(SoapFaultCode.Server, "Busy."),
                _ => throw new InvalidOperationException(SecretMessage),
            });

    public static IConfiguration Partners() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        [$"Soap:Partners:{PartnerId}:Username"] = Username,
        [$"Soap:Partners:{PartnerId}:Password"] = Password,
        ["Soap:Partners:no-password:Username"] = "nopw",
    }).Build().GetSection("Soap:Partners");

    /// <summary>Hosts /secure (security required) and /open (optional) with configuration-backed credentials.</summary>
    public static Task<TestHost> StartAsync(Action<SoapServerOptions>? configure = null, TimeProvider? time = null) =>
        TestHost.StartAsync(
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                services.AddSoapServer(configure).AddSoapCredentialStore(Partners());
            },
            app =>
            {
                app.MapSoapService("/secure", Create(requireSecurity: true));
                app.MapSoapService("/open", Create(requireSecurity: false));
            });
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
