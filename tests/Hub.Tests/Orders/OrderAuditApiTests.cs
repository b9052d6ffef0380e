using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Adapters.Identity;
using Hub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Orders;

/// <summary>
/// The manual audit over the mobile REST API on the embedded default (automatic audit): who may audit (orders.audit over the owner,
/// never the owner), the body's rules, the saga refusing an order that does not wait for its audit, and the audit on /me/tasks.
/// The audit itself, with the manual step configured, is <see cref="OrderManualAuditTests"/>.
/// </summary>
[Collection("embedded")]
public sealed class OrderAuditApiTests(EmbeddedHubFixture hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string NewUser(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static async Task<HttpResponseMessage> Audit(MobileSession phone, Guid id, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/audit") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await phone.Http.SendAsync(request);
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<(Guid Id, string Number, string ETag)> WaitingOrder(MobileSession owner)
    {
        var id = Guid.NewGuid();
        var placed = await owner.PostAsync("/api/v1/orders", new
        {
            orderId = id, customerCode = "C1001", ownerUserId = owner.UserId,
            lines = new[] { new { productCode = "MPLS-1G", specModel = "dual", quantity = 1, unitPrice = 60000m, discount = 0m } },
        });
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var (body, etag) = await Eventually.Get(async () =>
        {
            var response = await owner.Http.GetAsync($"/api/v1/orders/{id}");
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>(), response.Headers.ETag!.Tag) : (default(JsonElement), "");
        }, r => r.Item2 != "" && r.Item1.GetProperty("status").GetString() == OrderStatus.AwaitingApproval, Wait, "order awaiting approval");
        return (id, body.GetProperty("orderNumber").GetString()!, etag);
    }

    [Fact]
    public async Task Only_staff_with_orders_audit_over_the_owner_audit_an_order_never_the_owner_and_only_while_it_waits_for_it()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var colleague = await hub.SignInAsync(NewUser("sales"), region: region);
        using var manager = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: region);
        var (id, _, etag) = await WaitingOrder(owner);

        await Problem(await Audit(owner, id, new { passed = true }, etag), HttpStatusCode.Forbidden);
        await Problem(await Audit(colleague, id, new { passed = true }, etag), HttpStatusCode.NotFound);
        var noDecision = await Problem(await Audit(manager, id, new { reason = "?" }, etag), HttpStatusCode.BadRequest);
        Assert.True(noDecision.GetProperty("errors").TryGetProperty("passed", out _));
        var noReason = await Problem(await Audit(manager, id, new { passed = false }, etag), HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        await Problem(await Audit(manager, id, new { passed = true }, null), HttpStatusCode.PreconditionRequired);

        // Awaiting approval, not its audit: the saga refuses the step, field by field.
        var early = await Problem(await Audit(manager, id, new { passed = true }, etag), HttpStatusCode.BadRequest);
        Assert.True(early.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task An_order_waiting_in_auditing_is_on_the_auditors_tasks_never_on_the_owners()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var manager = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: region);
        using var elsewhere = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: NewUser("region"));
        var (id, number, _) = await WaitingOrder(owner);

        // The order's read model as the saga's status event leaves it when the manual audit step holds the order in Auditing.
        await hub.Hub.Hub.Services.GetRequiredService<IBus>().Publish(
            new OrderStatusChanged(id, number, owner.UserId, OrderStatus.Auditing, null, DateTimeOffset.UtcNow));

        var task = await Eventually.Get(async () => (await manager.Http.GetFromJsonAsync<JsonElement>($"/api/v1/me/tasks?kind=order-audit&q={number}"))
            .GetProperty("items").EnumerateArray().ToArray(), t => t.Length == 1, Wait, "the audit on the manager's tasks");
        Assert.Equal($"/api/v1/orders/{id}", task[0].GetProperty("link").GetString());
        Assert.Equal(OrderStatus.Auditing, task[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, task[0].GetProperty("dueAt").ValueKind);
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/me/tasks?kind=order-audit&q={number}")).GetProperty("items").EnumerateArray());
        Assert.Empty((await elsewhere.Http.GetFromJsonAsync<JsonElement>($"/api/v1/me/tasks?kind=order-audit&q={number}")).GetProperty("items").EnumerateArray());
    }
}
