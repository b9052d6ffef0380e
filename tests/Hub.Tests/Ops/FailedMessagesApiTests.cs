using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Infrastructure;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Ops;

/// <summary>
/// Failed messages over the operations API, on a hub whose orders wait for operations when billing is
/// down longer than the retries: captured from the error queue, grouped, retried (one or a group),
/// edited then retried, archived; every change recorded with who and when.
/// </summary>
[Collection("ops")]
public sealed class FailedMessagesApiTests(OpsHub hub)
{
    private static async Task<JsonElement[]> FailedFor(HttpClient ops, string orderNumber, string status = "") =>
        (await ops.GetFromJsonAsync<JsonElement[]>($"/ops/api/failed?key={orderNumber}&status={status}"))!;

    private async Task<JsonElement> WaitForFailure(HttpClient ops, string orderNumber) =>
        (await Eventually.Get(() => FailedFor(ops, orderNumber, "unresolved"), rows => rows.Length == 1, TimeSpan.FromSeconds(60),
            $"CreateBillingCharge of {orderNumber} in the error queue"))[0];

    private async Task<string> OrderStatus(Guid id)
    {
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        var saga = await ops.GetFromJsonAsync<JsonElement>($"/ops/api/sagas/orders/{id}");
        return saga.GetProperty("saga").GetProperty("currentState").GetString()!;
    }

    [Fact]
    public void Configured_redelivery_intervals_replace_the_defaults()
    {
        // The scenarios below rely on failures reaching the error queue in seconds.
        var options = hub.Hub.Hub.Services.GetRequiredService<IOptions<HubOptions>>().Value;
        Assert.Equal([TimeSpan.FromSeconds(1)], options.EffectiveRedeliveryIntervals);
    }

    [Fact]
    public async Task Billing_outage_lands_in_one_group_and_retrying_the_group_completes_both_orders()
    {
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "operator");
        await hub.SetBillingDown(true);
        (Guid Id, string Number) first, second;
        try
        {
            first = await hub.PlaceOrder();
            second = await hub.PlaceOrder();
            var a = await WaitForFailure(ops, first.Number);
            var b = await WaitForFailure(ops, second.Number);
            Assert.Equal("CreateBillingCharge", a.GetProperty("messageType").GetString());
            Assert.Equal("billing-gateway", a.GetProperty("endpoint").GetString());
            Assert.Equal(a.GetProperty("groupId").GetString(), b.GetProperty("groupId").GetString());
            var groups = await ops.GetFromJsonAsync<JsonElement[]>("/ops/api/failed/groups");
            var group = groups!.Single(g => g.GetProperty("groupId").GetString() == a.GetProperty("groupId").GetString());
            Assert.True(group.GetProperty("count").GetInt32() >= 2);
            // Billing's 503s, or its circuit breaker once open: either way the place of failure is the billing client.
            Assert.Contains("Hub.Adapters.Billing", group.GetProperty("failurePoint").GetString());

            // The order waits for operations instead of compensating.
            Assert.Equal("Fulfilling", await OrderStatus(first.Id));
        }
        finally
        {
            await hub.SetBillingDown(false);
        }

        var groupId = (await FailedFor(ops, first.Number))[0].GetProperty("groupId").GetString();
        var retried = await ops.PostAsync($"/ops/api/failed/groups/{groupId}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.True((await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retried").GetInt32() >= 2);

        foreach (var order in new[] { first, second })
        {
            await Eventually.Get(() => OrderStatus(order.Id), s => s == "Closed", TimeSpan.FromSeconds(30), $"order {order.Number} closed");
            var row = await Eventually.Get(() => FailedFor(ops, order.Number), r => r[0].GetProperty("status").GetString() == "resolved",
                TimeSpan.FromSeconds(15), "retry outcome tracked");
            Assert.Equal(1, row[0].GetProperty("retryCount").GetInt32());
        }
        var actions = await ops.GetFromJsonAsync<JsonElement[]>("/ops/api/actions");
        Assert.Contains(actions!, x => x.GetProperty("action").GetString() == "retry-group" && x.GetProperty("target").GetString() == groupId
            && x.GetProperty("user").GetString() == "ops-operator");
    }

    [Fact]
    public async Task Edited_message_is_checked_against_its_contract_retried_and_the_edit_audited()
    {
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "operator");
        await hub.SetBillingDown(true);
        (Guid Id, string Number) order;
        JsonElement failed;
        try
        {
            order = await hub.PlaceOrder();
            failed = await WaitForFailure(ops, order.Number);
        }
        finally
        {
            await hub.SetBillingDown(false);
        }
        var id = failed.GetProperty("id").GetInt64();
        var detail = await ops.GetFromJsonAsync<JsonElement>($"/ops/api/failed/{id}");
        var message = JsonDocument.Parse(detail.GetProperty("body").GetString()!).RootElement.GetProperty("message");

        var notAnObject = await ops.PostAsJsonAsync($"/ops/api/failed/{id}/edit-and-retry", new { message = "text" });
        Assert.Equal(HttpStatusCode.BadRequest, notAnObject.StatusCode);
        var wrongShape = await ops.PostAsJsonAsync($"/ops/api/failed/{id}/edit-and-retry", new { message = new { amount = "lots" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongShape.StatusCode);
        Assert.Equal("unresolved", (await FailedFor(ops, order.Number))[0].GetProperty("status").GetString());

        var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(message.GetRawText())!;
        edited["currency"] = JsonSerializer.SerializeToElement("CNY");
        var response = await ops.PostAsJsonAsync($"/ops/api/failed/{id}/edit-and-retry", new { message = edited });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await Eventually.Get(() => OrderStatus(order.Id), s => s == "Closed", TimeSpan.FromSeconds(30), "edited retry completes and closes the order");
        var row = (await FailedFor(ops, order.Number))[0];
        Assert.True(row.GetProperty("edited").GetBoolean());
        var action = (await ops.GetFromJsonAsync<JsonElement[]>("/ops/api/actions"))!
            .First(x => x.GetProperty("action").GetString() == "edit-retry" && x.GetProperty("target").GetString() == id.ToString());
        var what = JsonDocument.Parse(action.GetProperty("detail").GetString()!).RootElement;
        Assert.Equal(message.GetProperty("orderNumber").GetString(), what.GetProperty("before").GetProperty("orderNumber").GetString());
        Assert.Equal("CNY", what.GetProperty("after").GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Archived_message_cannot_be_retried_and_the_archive_is_recorded()
    {
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "admin");
        await hub.SetBillingDown(true);
        JsonElement failed;
        string number;
        try
        {
            (_, number) = await hub.PlaceOrder();
            failed = await WaitForFailure(ops, number);
        }
        finally
        {
            await hub.SetBillingDown(false);
        }
        var id = failed.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await ops.PostAsync($"/ops/api/failed/{id}/archive", null)).StatusCode);
        Assert.Equal("archived", (await FailedFor(ops, number))[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await ops.PostAsync($"/ops/api/failed/{id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ops.PostAsync($"/ops/api/failed/{id}/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.PostAsync("/ops/api/failed/987654321/retry", null)).StatusCode);
        var actions = await ops.GetFromJsonAsync<JsonElement[]>("/ops/api/actions");
        Assert.Single(actions!, x => x.GetProperty("action").GetString() == "archive" && x.GetProperty("target").GetString() == id.ToString()
            && x.GetProperty("user").GetString() == "ops-admin");
    }
}
