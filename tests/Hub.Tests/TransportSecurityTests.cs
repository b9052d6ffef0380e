using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hub.Infrastructure;
using Hub.Tests.Ops;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests;

/// <summary>TLS on every listener outside Development, HSTS over HTTPS, secure headers on every answer.</summary>
public sealed class TransportSecurityTests
{
    private static string[] Common(string root) =>
        [$"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning"];

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://crm-hub.example.com:5080")]
    [InlineData("https://127.0.0.1:0;http://10.1.2.3:5080")]
    public void A_production_host_listening_in_plain_http_beyond_loopback_refuses_to_build(string urls)
    {
        var error = Assert.Throws<InvalidOperationException>(() => HubApp.Build(
            ["--environment=Production", $"--urls={urls}", .. Common(Path.GetTempPath())], "http://127.0.0.1:0", [new BareModule()]));
        Assert.Contains("Plain HTTP listeners in Production", error.Message);
        Assert.Contains("Hub:Web:AllowPlainHttp", error.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", false)]
    [InlineData("http://localhost:5999", false)]
    [InlineData("http://0.0.0.0:5999", true)]
    public async Task Loopback_listeners_or_a_declared_tls_proxy_are_allowed_in_production(string urls, bool behindProxy)
    {
        string[] args = ["--environment=Production", $"--urls={urls}", $"--Hub:Web:AllowPlainHttp={behindProxy}", .. Common(Path.GetTempPath())];
        await using var app = HubApp.Build(args, "http://127.0.0.1:0", [new BareModule()]);
        Assert.NotNull(app);
    }

    [Fact]
    public async Task Over_https_answers_carry_hsts_and_every_answer_the_secure_headers()
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-tls-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var pfx = Path.Combine(root, "hub.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=crm-hub.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test"));
        }
        await using var app = HubApp.Build(
            ["--environment=Production", "--urls=https://127.0.0.1:0", $"--Kestrel:Certificates:Default:Path={pfx}", "--Kestrel:Certificates:Default:Password=test", .. Common(root)],
            "https://127.0.0.1:0", [new BareModule()]);
        await app.StartAsync();
        try
        {
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = new Uri(url) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/probe");
            // HSTS is never sent to localhost names, so ask as the name the world uses.
            request.Headers.Host = "crm-hub.example.com";
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("max-age=31536000; includeSubDomains", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class BareModule : IHubModule
    {
        public string Name => "Bare";
        public void AddServices(WebApplicationBuilder builder) { }
        public void AddBus(IBusRegistrationConfigurator bus) { }
        public void Map(WebApplication app) => app.MapGet("/probe", () => Results.Text("ok"));
    }
}

/// <summary>The operations page allows only its own script and style.</summary>
[Collection("ops")]
public sealed class OpsPageHeadersTests(OpsHub hub)
{
    [Fact]
    public async Task The_ops_page_runs_only_its_own_script_and_cannot_be_framed()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var response = await http.GetAsync("/ops");
        var policy = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.Matches("script-src 'sha256-[A-Za-z0-9+/=]{44}'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        var api = await http.GetAsync("/ops/api/messages");
        Assert.Equal("nosniff", string.Join(",", api.Headers.GetValues("X-Content-Type-Options")));
    }
}
