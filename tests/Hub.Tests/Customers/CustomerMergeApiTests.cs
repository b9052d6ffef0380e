using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Tests.Dealers;
using Hub.TestSupport;

namespace Hub.Tests.Customers;

/// <summary>
/// A merge over the mobile REST API of the embedded hub: two dealers, each with a service ticket, an order, an inspection visit, an
/// agency contract and a target; after the merge everything is found under the survivor (timeline, tickets list, dealer views) and
/// nothing under the duplicate.
/// </summary>
[Collection("embedded")]
public sealed class CustomerMergeApiTests(EmbeddedHubFixture hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static string Id(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> Put(MobileSession phone, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        return phone.Http.SendAsync(request);
    }

    private sealed record Dealer(Guid Id, string Code, Guid OrderId, Guid TicketId);

    /// <summary>A dealer with a visit, a drafted contract, a target for <paramref name="month"/>, an order and a service ticket.</summary>
    private static async Task<Dealer> DealerWithRecords(MobileSession sales, MobileSession manager, string region, int month)
    {
        var code = DealerEndpointTests.Code();
        var id = (await Ok(sales.PostAsync("/api/v1/customers", new { code, name = "宜昌万通专用车经销 " + code, kind = "Dealer", region }))).GetProperty("customerId").GetGuid();
        await Ok(sales.PostAsync($"/api/v1/dealers/{id}/visits", new
        {
            visitedOn = "2026-03-12",
            scores = new[] { new { criterion = "qualification", weight = 1m, score = 80m } },
        }));
        await Ok(sales.PostAsync($"/api/v1/dealers/{id}/contracts", new { territory = "Hubei", validFrom = "2026-04-01", validTo = "2027-03-31", terms = "agency" }));
        var level = new { units = 10, salesAmount = 100_000m, receipts = 80_000m };
        await Ok(Put(manager, $"/api/v1/dealers/{id}/targets/2026/{month}", new { tier1 = level, tier2 = level, tier3 = level }));
        var order = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await sales.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(order, sales.UserId, customer: code))).StatusCode);
        var ticket = (await Ok(sales.PostAsync("/api/v1/service-tickets", new
        {
            customerId = id, customerCode = code, kind = "Request", subject = "Tail lift does not rise", description = "Pump hums", channel = "Phone",
        }))).GetProperty("ticketId").GetGuid();
        return new Dealer(id, code, order, ticket);
    }

    private static Task<JsonElement> Tickets(MobileSession phone, string q) => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/service-tickets?q={q}&pageSize=100");

    private static Task<JsonElement[]> Timeline(MobileSession phone, Guid id) => phone.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/customers/{id}/timeline?limit=500")!;

    private static readonly string[] FollowingKinds = ["order", "service-ticket", "dealer-visit", "agency-contract"];

    [Fact]
    public async Task After_a_merge_tickets_orders_and_dealer_records_of_both_are_found_under_the_survivor_and_nothing_under_the_duplicate()
    {
        var region = Id("region");
        using var sales = await hub.SignInAsync(Id("sales"), MobileRoles.Salesperson, Id("office"), region);
        using var manager = await hub.SignInAsync(Id("mgr"), MobileRoles.Manager, Id("office"), region);
        var survivor = await DealerWithRecords(sales, manager, region, month: 4);
        var duplicate = await DealerWithRecords(sales, manager, region, month: 5);
        // Both read models caught up before the merge, so the merge is what moves them.
        await Eventually.Get(() => Timeline(sales, duplicate.Id), t => t.Count(e => e.GetProperty("kind").GetString() is "order" or "service-ticket") == 2, Wait,
            "the duplicate's order and ticket in its timeline");

        await Ok(sales.PostAsync($"/api/v1/customers/{survivor.Id}/merge", new { duplicateId = duplicate.Id }));

        var tickets = await Eventually.Get(() => Tickets(sales, survivor.Code), p => p.GetProperty("total").GetInt32() == 2, Wait, "both tickets listed under the survivor");
        Assert.Equal(new[] { survivor.TicketId, duplicate.TicketId }.Order(), tickets.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("ticketId").GetGuid()).Order());
        Assert.Equal(0, (await Tickets(sales, duplicate.Code)).GetProperty("total").GetInt32());
        var moved = await Eventually.Get(() => sales.Http.GetFromJsonAsync<JsonElement>($"/api/v1/service-tickets/{duplicate.TicketId}"),
            t => t.GetProperty("customerCode").GetString() == survivor.Code, Wait, "the duplicate's ticket under the survivor");
        Assert.Equal(survivor.Id, moved.GetProperty("customerId").GetGuid());

        var timeline = await Eventually.Get(() => Timeline(sales, survivor.Id),
            t => t.Count(e => e.GetProperty("kind").GetString() == "order") == 2 && t.Count(e => e.GetProperty("kind").GetString() == "service-ticket") == 2
                 && t.Count(e => e.GetProperty("kind").GetString() == "dealer-visit") == 2 && t.Count(e => e.GetProperty("kind").GetString() == "agency-contract") == 2,
            Wait, "orders, tickets, visits and contracts of both in the survivor's timeline");
        Assert.Contains(timeline, e => e.GetProperty("title").GetString()!.StartsWith($"Record of merged {duplicate.Code}", StringComparison.Ordinal));
        Assert.DoesNotContain(await Timeline(sales, duplicate.Id), e => FollowingKinds.Contains(e.GetProperty("kind").GetString()));

        foreach (var (view, count) in new[] { ("visits", 2), ("contracts", 2), ("targets", 2) })
        {
            var page = await Eventually.Get(() => sales.Http.GetFromJsonAsync<JsonElement>($"/api/v1/dealers/{survivor.Id}/{view}"),
                p => p.GetProperty("total").GetInt32() == count, Wait, $"the survivor's {view}");
            Assert.All(page.GetProperty("items").EnumerateArray(), item => Assert.Equal(survivor.Id, item.GetProperty("dealerId").GetGuid()));
            var left = await sales.Http.GetAsync($"/api/v1/dealers/{duplicate.Id}/{view}");
            if (left.StatusCode != HttpStatusCode.NotFound)
                Assert.Equal(0, (await left.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32());
        }
        var orders = await Eventually.Get(() => sales.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?pageSize=100"),
            p => p.GetProperty("items").EnumerateArray().Count(o => o.GetProperty("customerCode").GetString() == survivor.Code) == 2, Wait, "both orders under the survivor");
        Assert.DoesNotContain(orders.GetProperty("items").EnumerateArray(), o => o.GetProperty("customerCode").GetString() == duplicate.Code);
    }
}
