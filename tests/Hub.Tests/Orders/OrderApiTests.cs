using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.Orders;

/// <summary>The order lifecycle over the mobile REST API on the embedded default: approval, rejection, cancellation, history, problem details.</summary>
[Collection("embedded")]
public sealed class OrderApiTests(EmbeddedHubFixture hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string NewUser(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Above the default threshold of 50,000: waits for a manager.</summary>
    private static object BigOrder(Guid id, string owner) => new
    {
        orderId = id,
        customerCode = "C1001",
        ownerUserId = owner,
        lines = new[] { new { productCode = "MPLS-1G", specModel = "dual", quantity = 1, unitPrice = 60000m, discount = 0m } },
    };

    private static async Task<HttpResponseMessage> Post(MobileSession phone, string path, object? body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await phone.Http.SendAsync(request);
    }

    private static async Task<(JsonElement Order, string ETag)> Get(MobileSession phone, Guid id)
    {
        var response = await phone.Http.GetAsync($"/api/v1/orders/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), response.Headers.ETag!.Tag);
    }

    private static Task<(JsonElement Order, string ETag)> InStatus(MobileSession phone, Guid id, string status) =>
        Eventually.Get(() => Get(phone, id), o => o.Order.GetProperty("status").GetString() == status, Wait, $"order {status}");

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Manager_of_the_region_approves_over_rest_after_a_push_and_the_history_tells_who_moved_the_order()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var manager = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: region);
        await using var managerPhone = await manager.OpenStreamAsync();
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsync("/api/v1/orders", BigOrder(id, owner.UserId))).StatusCode);

        var (waiting, etag) = await InStatus(owner, id, "AwaitingApproval");
        var push = await managerPhone.WaitFor(e => e.Event == "approval.waiting", Wait);
        Assert.Equal(waiting.GetProperty("orderNumber").GetString(), push.Json.GetProperty("subject").GetString());

        // The waiting order is on the manager's task list (never on the owner's), due when AwaitingApproval runs out.
        var number = waiting.GetProperty("orderNumber").GetString()!;
        var task = await Eventually.Get(async () => (await manager.Http.GetFromJsonAsync<JsonElement>($"/api/v1/me/tasks?kind=order-approval&q={number}"))
            .GetProperty("items").EnumerateArray().ToArray(), t => t.Length == 1, Wait, "the approval on the manager's tasks");
        Assert.Equal($"/api/v1/orders/{id}", task[0].GetProperty("link").GetString());
        Assert.Equal(JsonValueKind.String, task[0].GetProperty("dueAt").ValueKind);
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/me/tasks?kind=order-approval&q={number}")).GetProperty("items").EnumerateArray());

        await AssertProblem(await Post(owner, $"/api/v1/orders/{id}/approve", null, etag), HttpStatusCode.Forbidden);
        await AssertProblem(await Post(manager, $"/api/v1/orders/{id}/approve", null, null), HttpStatusCode.PreconditionRequired);
        await AssertProblem(await Post(manager, $"/api/v1/orders/{id}/approve", null, "\"1\""), HttpStatusCode.PreconditionFailed);
        var approved = await Post(manager, $"/api/v1/orders/{id}/approve", null, etag);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("Approved", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approval").GetString());

        await InStatus(owner, id, "Closed");
        // The list follows the mobile read model, which catches up with the order's events.
        await Eventually.Get(async () => (await manager.Http.GetFromJsonAsync<JsonElement>($"/api/v1/me/tasks?kind=order-approval&q={number}"))
            .GetProperty("items").GetArrayLength(), n => n == 0, Wait, "the approval gone from the manager's tasks");
        var history = await owner.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/orders/{id}/history");
        Assert.Equal(["Place", "RequireApproval", "Approve", "Decompose", "AllWorkOrdersSucceeded", "PassAudit", "Complete", "Archive", "Close"],
            history!.Select(h => h.GetProperty("trigger").GetString()));
        var approval = history!.Single(h => h.GetProperty("trigger").GetString() == "Approve");
        Assert.Equal((manager.UserId, "AwaitingApproval", "Approved"),
            (approval.GetProperty("actor").GetString(), approval.GetProperty("from").GetString(), approval.GetProperty("to").GetString()));
        Assert.Equal(JsonValueKind.String, approval.GetProperty("messageId").ValueKind);
        Assert.Equal("order-audit", history!.Single(h => h.GetProperty("trigger").GetString() == "PassAudit").GetProperty("actor").GetString());

        // The stored order keeps its change record too (003 §4.4.5.2): the approval as made over REST by the manager, before and after.
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        var key = id.ToString();
        var changes = await scope.ServiceProvider.GetRequiredService<Hub.Persistence.HubDbContext>().Set<Hub.Persistence.History.EntityChange>()
            .AsNoTracking().Where(c => c.EntityType == "Order" && c.EntityKey == key).ToListAsync();
        var approvedChange = changes.Where(c => c.Actor == manager.UserId).OrderBy(c => c.At).First();
        Assert.Equal("mobile", approvedChange.Channel);
        Assert.Contains("AwaitingApproval", approvedChange.Before);
        Assert.Contains("Approved", approvedChange.After);
        Assert.NotNull(approvedChange.MessageId);
    }

    [Fact]
    public async Task Bad_input_and_wrong_callers_get_problem_details_and_a_rejection_needs_a_reason()
    {
        var region = NewUser("region");
        using var owner = await hub.SignInAsync(NewUser("sales"), region: region);
        using var manager = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: region);
        using var stranger = await hub.SignInAsync(NewUser("mgr"), MobileRoles.Manager, office: "hq", region: NewUser("other"));
        var id = Guid.NewGuid();
        await owner.PostAsync("/api/v1/orders", BigOrder(id, owner.UserId));
        var (_, etag) = await InStatus(owner, id, "AwaitingApproval");

        // A manager of another region does not see the order; an unknown one is missing alike.
        await AssertProblem(await Post(stranger, $"/api/v1/orders/{id}/approve", null, etag), HttpStatusCode.NotFound);
        await AssertProblem(await Post(manager, $"/api/v1/orders/{Guid.NewGuid()}/approve", null, etag), HttpStatusCode.NotFound);
        await AssertProblem(await owner.Http.GetAsync($"/api/v1/orders/{Guid.NewGuid()}/history"), HttpStatusCode.NotFound);
        var noReason = await Post(manager, $"/api/v1/orders/{id}/reject", new { reason = " " }, etag);
        await AssertProblem(noReason, HttpStatusCode.BadRequest);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));

        var rejected = await Post(manager, $"/api/v1/orders/{id}/reject", new { reason = "price not agreed" }, etag);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var (order, closedTag) = await InStatus(owner, id, "Rejected");
        Assert.Equal("price not agreed", order.GetProperty("failureReason").GetString());
        // A rejected order is final: cancelling it breaks the lifecycle's rule.
        var cancel = await Post(owner, $"/api/v1/orders/{id}/cancel", new { reason = "changed mind" }, closedTag);
        await AssertProblem(cancel, HttpStatusCode.BadRequest);
        Assert.True((await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task Customer_cancels_an_order_waiting_for_approval_over_rest()
    {
        using var owner = await hub.SignInAsync(NewUser("sales"), region: NewUser("region"));
        var id = Guid.NewGuid();
        await owner.PostAsync("/api/v1/orders", BigOrder(id, owner.UserId));
        var (_, etag) = await InStatus(owner, id, "AwaitingApproval");

        var cancelled = await Post(owner, $"/api/v1/orders/{id}/cancel", new { reason = "budget cut" }, etag);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var body = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", body.GetProperty("status").GetString());
        Assert.Equal(body.GetProperty("version").GetInt64().ToString(), cancelled.Headers.ETag!.Tag.Trim('"'));
        var listed = await Eventually.Get(() => owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?status=Cancelled"),
            page => page.GetProperty("items").EnumerateArray().Any(o => o.GetProperty("orderId").GetGuid() == id), Wait, "mobile list shows the cancellation");
        Assert.Contains("budget cut", listed.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("orderId").GetGuid() == id)
            .GetProperty("reason").GetString());
    }
}
