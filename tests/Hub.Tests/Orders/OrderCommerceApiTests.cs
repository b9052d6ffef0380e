using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Adapters.Identity;
using Hub.Persistence;
using Hub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Orders;

/// <summary>
/// The payment plan, the resend of a refused completion and the manual audit over the mobile REST API on the embedded default
/// (automatic audit), with their permissions; the manual audit itself, with the step configured, is <see cref="OrderManualAuditTests"/>.
/// </summary>
[Collection("embedded")]
public sealed class OrderCommerceApiTests(EmbeddedHubFixture hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string NewUser(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static async Task<HttpResponseMessage> Send(MobileSession phone, HttpMethod method, string path, object? body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await phone.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Plan(MobileSession phone, Guid id, object body, string? ifMatch) =>
        Send(phone, HttpMethod.Put, $"/api/v1/orders/{id}/payment-plan", body, ifMatch);

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<(Guid Id, string ETag)> WaitingOrder(MobileSession owner)
    {
        var id = Guid.NewGuid();
        var placed = await owner.PostAsync("/api/v1/orders", new
        {
            orderId = id, customerCode = "C1001", ownerUserId = owner.UserId,
            lines = new[] { new { productCode = "MPLS-1G", specModel = "dual", quantity = 1, unitPrice = 60000m, discount = 0m } },
        });
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var response = await Eventually.Get(() => owner.Http.GetAsync($"/api/v1/orders/{id}"),
            r => r.IsSuccessStatusCode && r.Content.ReadFromJsonAsync<JsonElement>().Result.GetProperty("status").GetString() == OrderStatus.AwaitingApproval,
            Wait, "order awaiting approval");
        return (id, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task The_salesperson_agrees_a_payment_plan_that_adds_up_and_a_bad_one_is_refused_field_by_field()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var colleague = await hub.SignInAsync(NewUser("sales"), region: region);
        var (id, etag) = await WaitingOrder(owner);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var missing = await Problem(await Plan(owner, id, new { instalments = new object[] { new { sequence = 1, amount = 60000m } } }, etag), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("instalments[0]", out _));
        var notAddingUp = await Problem(await Plan(owner, id, new { instalments = new[] { new { sequence = 1, dueOn = today.AddDays(30), amount = 50000m } } }, etag),
            HttpStatusCode.BadRequest);
        Assert.True(notAddingUp.GetProperty("errors").TryGetProperty("instalments", out _));
        await Problem(await Plan(colleague, id, new { instalments = new[] { new { sequence = 1, dueOn = today.AddDays(30), amount = 60000m } } }, etag),
            HttpStatusCode.NotFound);

        var agreed = await Plan(owner, id, new
        {
            instalments = new[] { new { sequence = 1, dueOn = today.AddDays(30), amount = 20000m }, new { sequence = 2, dueOn = today.AddDays(60), amount = 40000m } },
        }, etag);

        Assert.Equal(HttpStatusCode.OK, agreed.StatusCode);
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        var order = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<Order>().AsNoTracking().SingleAsync(o => o.Id == id);
        Assert.Equal([20000m, 40000m], order.Instalments.Select(i => i.Amount));
    }

    [Fact]
    public async Task Only_a_manager_over_the_owner_resends_a_completion_and_only_after_ERP_refused_it()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var manager = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: region);
        var (id, etag) = await WaitingOrder(owner);

        await Problem(await Send(owner, HttpMethod.Post, $"/api/v1/orders/{id}/completion/resend", null, etag), HttpStatusCode.Forbidden);
        var early = await Problem(await Send(manager, HttpMethod.Post, $"/api/v1/orders/{id}/completion/resend", null, etag), HttpStatusCode.BadRequest);
        Assert.True(early.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task Only_staff_with_orders_audit_over_the_owner_audit_an_order_never_the_owner_and_only_while_it_waits_for_it()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var colleague = await hub.SignInAsync(NewUser("sales"), region: region);
        using var manager = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: region);
        var (id, etag) = await WaitingOrder(owner);
        var audit = $"/api/v1/orders/{id}/audit";

        await Problem(await Send(owner, HttpMethod.Post, audit, new { passed = true }, etag), HttpStatusCode.Forbidden);
        await Problem(await Send(colleague, HttpMethod.Post, audit, new { passed = true }, etag), HttpStatusCode.NotFound);
        var noDecision = await Problem(await Send(manager, HttpMethod.Post, audit, new { reason = "?" }, etag), HttpStatusCode.BadRequest);
        Assert.True(noDecision.GetProperty("errors").TryGetProperty("passed", out _));
        var noReason = await Problem(await Send(manager, HttpMethod.Post, audit, new { passed = false }, etag), HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        await Problem(await Send(manager, HttpMethod.Post, audit, new { passed = true }, null), HttpStatusCode.PreconditionRequired);

        // Awaiting approval, not its audit: the saga refuses the step.
        var early = await Problem(await Send(manager, HttpMethod.Post, audit, new { passed = true }, etag), HttpStatusCode.BadRequest);
        Assert.True(early.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task An_order_waiting_in_auditing_is_on_the_auditors_tasks_never_on_the_owners()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var manager = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: region);
        using var elsewhere = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: NewUser("region"));
        var (id, _) = await WaitingOrder(owner);
        var number = (await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}")).GetProperty("orderNumber").GetString()!;

        // The order's read model as the saga's status event leaves it when the manual audit step holds the order in Auditing.
        await hub.Hub.Hub.Services.GetRequiredService<IBus>().Publish(
            new OrderStatusChanged(id, number, owner.UserId, OrderStatus.Auditing, null, DateTimeOffset.UtcNow));

        var tasks = $"/api/v1/me/tasks?kind=order-audit&q={number}";
        var task = await Eventually.Get(async () => (await manager.Http.GetFromJsonAsync<JsonElement>(tasks)).GetProperty("items").EnumerateArray().ToArray(),
            t => t.Length == 1, Wait, "the audit on the manager's tasks");
        Assert.Equal(($"/api/v1/orders/{id}", OrderStatus.Auditing), (task[0].GetProperty("link").GetString(), task[0].GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.String, task[0].GetProperty("dueAt").ValueKind);
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>(tasks)).GetProperty("items").EnumerateArray());
        Assert.Empty((await elsewhere.Http.GetFromJsonAsync<JsonElement>(tasks)).GetProperty("items").EnumerateArray());
    }
}
