using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Adapters.Billing;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Billing;

/// <summary>Billing's signed webhooks: only good, fresh signatures are taken, and each event counts once.</summary>
[Collection("embedded")]
public sealed class BillingWebhookTests(EmbeddedHubFixture hub)
{
    private string Secret => hub.Hub.Hub.Services.GetRequiredService<IOptions<BillingWebhookOptions>>().Value.Secrets[0];

    private static byte[] Body(string eventId, Guid orderId, string type = "payment.received") => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = eventId, type, orderId, chargeId = "CH00000001", amount = 199.00m, currency = "CNY", reason = type == "charge.failed" ? "card declined" : null,
        occurredAt = DateTimeOffset.UtcNow,
    });

    private async Task<HttpResponseMessage> Deliver(byte[] body, string? signature)
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/billing") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null)
            request.Headers.TryAddWithoutValidation(BillingWebhooks.SignatureHeader, signature);
        return await http.SendAsync(request);
    }

    private async Task<int> Recorded(string eventId)
    {
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<BillingWebhookEvent>().CountAsync(e => e.EventId == eventId);
    }

    [Fact]
    public async Task Signed_payment_is_taken_once_and_a_repeat_delivery_changes_nothing()
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var orderId = Guid.NewGuid();
        var body = Body(eventId, orderId);
        var signature = BillingWebhooks.Sign(Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);

        var first = await Deliver(body, signature);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        var repeat = await Deliver(body, signature);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.True((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await Recorded(eventId));
    }

    [Fact]
    public async Task Bad_signature_is_refused_and_records_nothing()
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var body = Body(eventId, Guid.NewGuid());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var tampered = Body(eventId, Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Unauthorized, (await Deliver(body, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Deliver(body, BillingWebhooks.Sign("another-secret-entirely", now, body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Deliver(tampered, BillingWebhooks.Sign(Secret, now, body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Deliver(body, "t=" + now + ",v1=00")).StatusCode);
        Assert.Equal(0, await Recorded(eventId));
    }

    [Fact]
    public async Task Old_timestamp_is_refused_as_a_replay_even_with_a_valid_signature()
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var body = Body(eventId, Guid.NewGuid());
        var old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        var response = await Deliver(body, BillingWebhooks.Sign(Secret, old, body));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("timestamp", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(0, await Recorded(eventId));
    }

    [Fact]
    public async Task Signed_but_invalid_body_is_refused_field_by_field()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"\",\"type\":\"refund.made\",\"orderId\":\"00000000-0000-0000-0000-000000000000\"}");
        var response = await Deliver(body, BillingWebhooks.Sign(Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "id", "type", "orderId", "chargeId" })
            Assert.True(errors.TryGetProperty(field, out _), field);
    }
}
