using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crm.Contracts.Soap.ErpHub;
using Hub.Soap;
using Hub.Soap.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Bench;

/// <summary>One side's figures.</summary>
public sealed record EndpointResult(string Name, int Requests, double RequestsPerSecond, double P50Ms, double P99Ms);

/// <summary>
/// The SOAP stand-in against plain ASP.NET doing the same work: a typical shipment report (three lines) accepted by
/// the same validation, request hash and idempotency claim, once as SOAP 1.1 with a WS-Security UsernameToken through
/// <c>MapSoapService</c> (envelope parsing, hardening, XmlSerializer, response envelope), once as JSON with an API key
/// through a minimal API. Both in one process on loopback, driven by the same .NET load loop; rounds alternate.
/// </summary>
public static class SoapBench
{
    private const string Partner = "erp-bench", Username = "erp-bench", Password = "bench-secret-1", ApiKey = "bench-api-key";

    public static async Task<(EndpointResult Soap, EndpointResult Json)> Run(int requests, int concurrency = 16)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.AddSoapServer();
        builder.Services.AddSoapCredentialStore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{Partner}:Username"] = Username, [$"{Partner}:Password"] = Password,
        }).Build());
        var work = new ShipmentIntake();
        await using var app = builder.Build();
        app.MapSoapService(ErpHubContract.DefaultPath, new SoapServiceDescription(ErpHubContract.ServiceName, ErpHubContract.Namespace) { RequireSecurity = true }
            .AddOperation<ReportShipmentRequest, ReportShipmentResponse>(ErpHubContract.Actions.ReportShipment, (r, call) =>
                Task.FromResult(new ReportShipmentResponse
                {
                    Accepted = true,
                    ReceiptId = work.Accept(call.PartnerId!, r.DocumentId, r.OrderNumber, r.ShipmentNumber, r.ShippedAt,
                        r.Lines.Select(l => (l.ProductCode, l.Quantity)).ToArray()).ToString(),
                })));
        app.MapPost("/json/shipments", (JsonShipment r, HttpContext http) =>
            http.Request.Headers["X-Api-Key"] != ApiKey
                ? Results.Problem(statusCode: 401)
                : Results.Ok(new { accepted = true, receiptId = work.Accept(Partner, r.DocumentId, r.OrderNumber, r.ShipmentNumber, r.ShippedAt,
                    r.Lines.Select(l => (l.ProductCode, l.Quantity)).ToArray()) }));
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = url };
        await Load(http, Soap, 500, concurrency);
        await Load(http, Json, 500, concurrency);
        var soapRounds = new List<EndpointResult>();
        var jsonRounds = new List<EndpointResult>();
        for (var round = 0; round < 2; round++)
        {
            soapRounds.Add(await Load(http, Soap, requests / 2, concurrency));
            jsonRounds.Add(await Load(http, Json, requests / 2, concurrency));
        }
        await app.StopAsync();
        return (Combine("SOAP 1.1 + UsernameToken (MapSoapService)", soapRounds), Combine("plain ASP.NET JSON (minimal API)", jsonRounds));
    }

    /// <summary>Rounds of one side as one result (rate over the summed time, mean p50, worst p99).</summary>
    internal static EndpointResult Combine(string name, List<EndpointResult> rounds) => new(name, rounds.Sum(r => r.Requests),
        rounds.Sum(r => r.Requests) / rounds.Sum(r => r.Requests / r.RequestsPerSecond), rounds.Average(r => r.P50Ms), rounds.Max(r => r.P99Ms));

    /// <summary><paramref name="requests"/> calls by <paramref name="concurrency"/> workers, timed each.</summary>
    internal static async Task<EndpointResult> Load(HttpClient http, Func<HttpClient, int, Task> call, int requests, int concurrency)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                await call(http, i);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        var sorted = latencies.Order().ToArray();
        return new EndpointResult("", requests, requests / sw.Elapsed.TotalSeconds, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
    }

    private static async Task Soap(HttpClient http, int i)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var created = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var envelope = $"""<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken><wsse:Username>{Username}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">{Password}</wsse:Password><wsse:Nonce>{nonce}</wsse:Nonce><wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header><s:Body><ReportShipment xmlns="{ErpHubContract.Namespace}"><documentId>SHP-DOC-{Guid.NewGuid():N}</documentId><orderNumber>SO{i:D10}</orderNumber><shipmentNumber>WB-{i}</shipmentNumber><shippedAt>2026-11-22T08:30:00Z</shippedAt><lines><line><productCode>BB-100M</productCode><quantity>2</quantity></line><line><productCode>ROUTER-AX</productCode><quantity>1</quantity></line><line><productCode>STB-4K</productCode><quantity>1</quantity></line></lines></ReportShipment></s:Body></s:Envelope>""";
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        using var request = new HttpRequestMessage(HttpMethod.Post, ErpHubContract.DefaultPath) { Content = content };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{ErpHubContract.Actions.ReportShipment}\"");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !body.Contains("<accepted>true</accepted>", StringComparison.Ordinal))
            throw new InvalidOperationException($"SOAP call failed: {(int)response.StatusCode} {body}");
    }

    private static async Task Json(HttpClient http, int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/json/shipments")
        {
            Content = JsonContent.Create(new JsonShipment($"SHP-DOC-{Guid.NewGuid():N}", $"SO{i:D10}", $"WB-{i}", new DateTime(2026, 11, 22, 8, 30, 0, DateTimeKind.Utc),
                [new("BB-100M", 2), new("ROUTER-AX", 1), new("STB-4K", 1)])),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"JSON call failed: {(int)response.StatusCode}");
        await response.Content.ReadAsStringAsync();
    }

    /// <summary>The plain endpoint's body.</summary>
    public sealed record JsonShipment(string DocumentId, string OrderNumber, string ShipmentNumber, DateTimeOffset ShippedAt, JsonLine[] Lines);

    /// <summary>A line of <see cref="JsonShipment"/>.</summary>
    public sealed record JsonLine(string ProductCode, int Quantity);

    /// <summary>The work both sides do: validate, hash the request, claim the document id once.</summary>
    private sealed class ShipmentIntake
    {
        private readonly ConcurrentDictionary<(string, string), (string Hash, Guid Receipt)> _documents = new();

        public Guid Accept(string partner, string documentId, string orderNumber, string shipmentNumber, DateTimeOffset shippedAt, (string ProductCode, int Quantity)[] lines)
        {
            if (string.IsNullOrWhiteSpace(documentId) || string.IsNullOrWhiteSpace(orderNumber) || string.IsNullOrWhiteSpace(shipmentNumber)
                || lines.Length is 0 or > 500 || lines.Any(l => string.IsNullOrWhiteSpace(l.ProductCode) || l.Quantity <= 0))
                throw new InvalidOperationException("invalid shipment");
            var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { orderNumber, shipmentNumber, shippedAt, lines })));
            var claimed = _documents.GetOrAdd((partner, documentId), _ => (hash, Guid.NewGuid()));
            return claimed.Hash == hash ? claimed.Receipt : throw new InvalidOperationException("document id conflict");
        }
    }
}
