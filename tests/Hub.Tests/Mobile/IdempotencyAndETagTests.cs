using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.TestSupport;

namespace Hub.Tests.Mobile;

/// <summary>Retried POSTs never create twice; concurrent edits from two phones never silently overwrite.</summary>
[Collection("embedded")]
public sealed class IdempotencyAndETagTests(EmbeddedHubFixture hub)
{
    [Fact]
    public async Task Post_without_idempotency_key_is_refused_with_a_field_error()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var response = await phone.Http.PostAsJsonAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(Guid.NewGuid(), phone.UserId));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task Retried_post_replays_the_first_answer_and_the_order_is_placed_once()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var key = Guid.NewGuid().ToString();
        var id = Guid.NewGuid();
        var first = await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId), key);
        // The retry comes through the unversioned alias, as an older app build would send it.
        var retry = await phone.PostAsync("/api/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}"),
            o => o.GetProperty("status").GetString() == "Closed", TimeSpan.FromSeconds(30), "completed");
        using var sims = new HttpClient { BaseAddress = new Uri(hub.SimulatorsUrl) };
        var charge = (await sims.GetFromJsonAsync<JsonElement>("/sim/billing/received")).EnumerateArray()
            .Single(r => r.GetProperty("orderId").GetGuid() == id);
        Assert.Equal(1, charge.GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Same_key_with_a_different_body_is_a_422_problem_and_places_nothing()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var key = Guid.NewGuid().ToString();
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId), key)).StatusCode);
        var other = Guid.NewGuid();
        var reused = await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(other, phone.UserId, customer: "C9999"), key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders"),
            page => page.GetProperty("total").GetInt32() >= 1, TimeSpan.FromSeconds(20), "order listed");
        Assert.Equal(HttpStatusCode.NotFound, (await phone.Http.GetAsync($"/api/v1/orders/{other}")).StatusCode);
    }

    [Fact]
    public async Task Keys_are_per_user_so_two_users_with_the_same_key_each_place_their_order()
    {
        using var a = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        using var b = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var key = "shared-" + Guid.NewGuid();
        var ra = await a.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(Guid.NewGuid(), a.UserId), key);
        var rb = await b.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(Guid.NewGuid(), b.UserId), key);
        Assert.Equal(HttpStatusCode.Accepted, ra.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, rb.StatusCode);
        Assert.False(rb.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Concurrent_edits_from_two_phones_the_second_gets_412_and_nothing_is_overwritten()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var read = await phone.Http.GetAsync("/api/v1/push/preferences");
        var etag = read.Headers.ETag!.Tag;

        async Task<HttpResponseMessage> Put(object body, string? ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/push/preferences") { Content = JsonContent.Create(body) };
            if (ifMatch is not null)
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await phone.Http.SendAsync(request);
        }

        var first = await Put(new { mutedKinds = new[] { "order.status" }, quietFrom = "22:00", quietTo = "07:30" }, etag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag!.Tag);

        var second = await Put(new { mutedKinds = Array.Empty<string>() }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Put(new { mutedKinds = Array.Empty<string>() }, null)).StatusCode);

        var now = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/push/preferences");
        Assert.Equal("order.status", now.GetProperty("mutedKinds")[0].GetString());
        Assert.Equal("22:00", now.GetProperty("quietFrom").GetString());
    }

    [Fact]
    public async Task Invalid_preferences_are_refused_field_by_field()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/push/preferences")
        {
            Content = new StringContent("{\"mutedKinds\":[\"spam\"],\"quietFrom\":\"25:99\",\"utcOffsetMinutes\":5000}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        var response = await phone.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "mutedKinds", "quietFrom", "utcOffsetMinutes" })
            Assert.True(errors.TryGetProperty(field, out _), field);
    }
}
