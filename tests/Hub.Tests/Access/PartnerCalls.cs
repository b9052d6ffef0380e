using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hub.Adapters.Billing;
using Hub.Persistence;
using Hub.Persistence.History;
using Hub.Soap.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Access;

/// <summary>How each kind of partner calls the hub, as the partner would (the tests call from loopback).</summary>
public static class PartnerCalls
{
    /// <summary>An ERP fetching one outbound document over SOAP 1.1 with a UsernameToken (PasswordDigest or PasswordText).</summary>
    public static async Task<SoapHttpResult> FetchAsync(string baseUrl, string username, string password, bool digest = true)
    {
        using var http = new HttpClient();
        return await Envelopes.PostSoap11Async(http, new Uri(baseUrl.TrimEnd('/') + "/soap/erp"),
            Envelopes.Envelope("""<FetchOutboundDocuments xmlns="urn:crm-hub:erp-hub:v1"><maxCount>1</maxCount></FetchOutboundDocuments>""",
                Envelopes.Security(username, password, digest)), "\"urn:crm-hub:erp-hub:v1/FetchOutboundDocuments\"");
    }

    /// <summary>Billing reporting a failed charge, signed with <paramref name="secret"/>.</summary>
    public static async Task<HttpStatusCode> WebhookAsync(string baseUrl, string secret)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = "evt_" + Guid.NewGuid().ToString("N"), type = "charge.failed", orderId = Guid.NewGuid(), chargeId = "CH1", reason = "declined",
        });
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/billing") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation(BillingWebhooks.SignatureHeader, BillingWebhooks.Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        return (await http.SendAsync(request)).StatusCode;
    }

    /// <summary>A client reading the notifications API with HTTP Basic.</summary>
    public static async Task<HttpResponseMessage> NotificationsAsync(string baseUrl, string clientId, string secret)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications?limit=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return await http.SendAsync(request);
    }

    /// <summary>The recorded changes of one entity, oldest first.</summary>
    public static async Task<List<EntityChange>> ChangesOfAsync(IServiceProvider services, string type, string key)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<EntityChange>().AsNoTracking()
            .Where(c => c.EntityType == type && c.EntityKey == key).OrderBy(c => c.Id).ToListAsync();
    }
}
