using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.Mobile;

/// <summary>Users see only what their role and data scope allow.</summary>
[Collection("embedded")]
public sealed class OrderScopeTests(EmbeddedHubFixture hub)
{
    [Fact]
    public async Task Salesperson_sees_own_orders_supervisor_sees_the_office_and_others_see_nothing()
    {
        var office = "gz-" + Guid.NewGuid().ToString("N")[..6];
        using var li = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6], office: office);
        using var wu = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6], office: office);
        using var supervisor = await hub.SignInAsync("sup-" + Guid.NewGuid().ToString("N")[..6], MobileRoles.OfficeSupervisor, office: office);
        using var elsewhere = await hub.SignInAsync("sup-" + Guid.NewGuid().ToString("N")[..6], MobileRoles.OfficeSupervisor, office: "other-" + office);

        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await li.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, li.UserId))).StatusCode);
        // A salesperson cannot place an order in a colleague's name.
        Assert.Equal(HttpStatusCode.Forbidden, (await wu.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(Guid.NewGuid(), li.UserId))).StatusCode);

        await Eventually.Get(() => li.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}"),
            o => o.GetProperty("status").GetString() == "Closed", TimeSpan.FromSeconds(30), "completed");
        var listed = await Eventually.Get(() => supervisor.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?status=Closed"),
            p => p.GetProperty("items").EnumerateArray().Any(o => o.GetProperty("orderId").GetGuid() == id), TimeSpan.FromSeconds(20), "listed for supervisor");
        Assert.Equal(li.UserId, listed.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("orderId").GetGuid() == id).GetProperty("ownerUserId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Http.GetAsync($"/api/v1/orders/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await wu.Http.GetAsync($"/api/v1/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.GetAsync($"/api/v1/orders/{id}")).StatusCode);
        Assert.Equal(0, (await wu.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders")).GetProperty("total").GetInt32());
        Assert.DoesNotContain((await elsewhere.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders")).GetProperty("items").EnumerateArray(),
            o => o.GetProperty("orderId").GetGuid() == id);
    }

    [Fact]
    public async Task Order_list_pages_searches_and_validates_its_parameters()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId, customer: $"CPAGE{i}"));
        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders"),
            p => p.GetProperty("total").GetInt32() == 3 && p.GetProperty("items").EnumerateArray().All(o => o.GetProperty("customerCode").GetString()!.Length > 0),
            TimeSpan.FromSeconds(20), "three orders listed");

        var page2 = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?page=2&pageSize=2");
        Assert.Single(page2.GetProperty("items").EnumerateArray());
        Assert.Equal(3, page2.GetProperty("total").GetInt32());
        var search = await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?q=CPAGE1");
        Assert.Equal(ids[1], search.GetProperty("items").EnumerateArray().Single().GetProperty("orderId").GetGuid());

        var bad = await phone.Http.GetAsync("/api/v1/orders?page=0&pageSize=1000");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("page", out _));
        Assert.True(errors.TryGetProperty("pageSize", out _));
    }
}
