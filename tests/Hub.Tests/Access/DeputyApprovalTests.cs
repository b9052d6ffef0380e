using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Adapters.Push;
using Hub.Persistence;
using Hub.TestSupport;
using Hub.Tests.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Access;

/// <summary>
/// Temporary delegation of approvals (003 §4.4.2 委托授权: a manager's approvals to a deputy while travelling), through the real
/// pipeline: an order above the threshold placed over REST, the saga asking for approval, the approvers found, the pushes recorded.
/// </summary>
[Collection("access")]
public sealed class DeputyApprovalTests(AccessHub hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private sealed record Team(MobileSession Manager, MobileSession Deputy, MobileSession Owner, string CustomerCode) : IDisposable
    {
        public void Dispose()
        {
            Manager.Dispose();
            Deputy.Dispose();
            Owner.Dispose();
        }
    }

    /// <summary>A region with a manager, a salesperson of another office as deputy, and an owner with a customer.</summary>
    private async Task<Team> TeamAsync()
    {
        var region = Unique("region-");
        var manager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), region);
        var deputy = await hub.SignInAsync(Unique("dep-"), MobileRoles.Salesperson, Unique("office-"), region);
        var owner = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), region);
        var code = Unique("A");
        var created = await owner.PostAsync("/api/v1/customers", CustomersApiTests.NewCustomer(code, "大额订单客户 " + code, null, region: region));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return new Team(manager, deputy, owner, code);
    }

    private async Task<Guid> Delegate(Team team, TimeSpan? forHowLong)
    {
        var created = await team.Manager.PostAsync("/api/v1/delegations", new
        {
            deputyUserId = team.Deputy.UserId,
            permissions = new[] { "orders.read", "orders.approve" },
            until = forHowLong is { } span ? DateTimeOffset.UtcNow + hub.Clock.Offset + span : (DateTimeOffset?)null,
            reason = "travelling",
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Places an order above the approval threshold (50,000); its number.</summary>
    private static async Task<string> PlaceLargeOrder(Team team)
    {
        var placed = await team.Owner.PostAsync("/api/v1/orders", new
        {
            customerCode = team.CustomerCode, lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 1, unitPrice = 60_000m } },
        });
        Assert.True(placed.StatusCode == HttpStatusCode.Accepted, await placed.Content.ReadAsStringAsync());
        return (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNumber").GetString()!;
    }

    /// <summary>Who got an approval push for <paramref name="orderNumber"/>.</summary>
    private async Task<List<string>> AskedToApprove(string orderNumber)
    {
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        // Payloads are sealed at rest: the kind is compared in SQL, the order number once read.
        return (await db.Set<PushEvent>().AsNoTracking().Where(e => e.Kind == "approval.waiting").ToListAsync())
            .Where(e => e.Payload.Contains(orderNumber, StringComparison.Ordinal)).Select(e => e.UserId).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<string> Tasks(MobileSession phone) => await phone.Http.GetStringAsync("/api/v1/me/tasks?kind=order-approval&pageSize=100");

    [Fact]
    public async Task A_deputy_gets_the_approval_push_and_task_while_the_delegation_is_in_force_and_not_after_it_expires()
    {
        using var team = await TeamAsync();
        await Delegate(team, TimeSpan.FromHours(1));

        var first = await PlaceLargeOrder(team);
        var asked = await Eventually.Get(() => AskedToApprove(first), a => a.Count >= 2, TimeSpan.FromSeconds(30), "manager and deputy asked");
        Assert.Equal(new[] { team.Deputy.UserId, team.Manager.UserId }.Order(StringComparer.Ordinal), asked.Order(StringComparer.Ordinal));
        await Eventually.Get(() => Tasks(team.Deputy), t => t.Contains(first), TimeSpan.FromSeconds(30), "the approval in the deputy's tasks");
        Assert.DoesNotContain(first, await Tasks(team.Owner));

        hub.Clock.Offset += TimeSpan.FromHours(2);
        try
        {
            // Expired: the next approval goes to the manager alone, and the waiting one leaves the deputy's tasks.
            var second = await PlaceLargeOrder(team);
            await Eventually.Get(() => AskedToApprove(second), a => a.Contains(team.Manager.UserId), TimeSpan.FromSeconds(30), "the manager asked");
            Assert.Equal([team.Manager.UserId], await AskedToApprove(second));
            Assert.DoesNotContain(first, await Tasks(team.Deputy));
            Assert.Contains(first, await Tasks(team.Manager));
        }
        finally
        {
            hub.Clock.Offset -= TimeSpan.FromHours(2);
        }
    }

    [Fact]
    public async Task A_revoked_delegation_stops_approval_pushes_to_the_deputy_and_the_manager_still_gets_them()
    {
        using var team = await TeamAsync();
        var delegation = await Delegate(team, null);
        var first = await PlaceLargeOrder(team);
        await Eventually.Get(() => AskedToApprove(first), a => a.Contains(team.Deputy.UserId) && a.Contains(team.Manager.UserId), TimeSpan.FromSeconds(30),
            "manager and deputy asked");

        Assert.Equal(HttpStatusCode.NoContent, (await team.Manager.Http.DeleteAsync($"/api/v1/delegations/{delegation}")).StatusCode);
        var second = await PlaceLargeOrder(team);
        await Eventually.Get(() => AskedToApprove(second), a => a.Contains(team.Manager.UserId), TimeSpan.FromSeconds(30), "the manager asked");
        Assert.Equal([team.Manager.UserId], await AskedToApprove(second));
    }

    /// <summary>Where the approval-waiting email of <paramref name="approvalId"/> to <paramref name="userId"/> stands once handled: its state and reason.</summary>
    private async Task<(string State, string? Error)> ApprovalEmail(Guid approvalId, string userId)
    {
        var subject = approvalId.ToString("N");
        var key = Hub.Functions.Notifications.RecipientKeys.User(userId);
        var handled = await Eventually.Get(async () =>
            {
                await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<Hub.Functions.Notifications.Notification>().AsNoTracking()
                    .Where(n => n.Template == "approval-waiting" && n.Subject == subject && n.RecipientKey == key && n.Channel == "email")
                    .Select(n => new { n.State, n.Error }).FirstOrDefaultAsync();
            },
            n => n is not null && n.State != "queued", TimeSpan.FromSeconds(30), $"the approval email to {userId} handled");
        return (handled!.State, handled.Error);
    }

    [Fact]
    public async Task An_approval_email_to_a_deputy_whose_delegation_was_revoked_after_the_request_is_skipped_with_the_reason()
    {
        using var team = await TeamAsync();
        using (var operatorUser = await Ops.OpsTestUsers.SignInAsync(hub.BaseUrl, Hub.Infrastructure.Access.OpsRoles.Operator))
            foreach (var user in new[] { team.Manager.UserId, team.Deputy.UserId })
            {
                var registered = await operatorUser.PutAsJsonAsync($"/api/notifications/recipients/user:{user}", new { name = user, email = $"{user}@example.com" });
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            }
        var delegation = await Delegate(team, null);
        var bus = hub.Hub.Hub.Services.GetRequiredService<MassTransit.IBus>();
        async Task<Guid> Request(string approver)
        {
            var id = Guid.NewGuid();
            await bus.Publish(new Crm.Contracts.Notifications.ApprovalRequested(id, "order", Unique("SO-"), approver, team.Owner.UserId, DateTimeOffset.UtcNow));
            return id;
        }

        // In force: the deputy's email goes.
        var whileLent = await Request(team.Deputy.UserId);
        Assert.Equal("sent", (await ApprovalEmail(whileLent, team.Deputy.UserId)).State);

        // Requested of both, then the delegation ends before the emails are sent: the manager's goes, the deputy's is skipped.
        Assert.Equal(HttpStatusCode.NoContent, (await team.Manager.Http.DeleteAsync($"/api/v1/delegations/{delegation}")).StatusCode);
        var toDeputy = await Request(team.Deputy.UserId);
        var toManager = await Request(team.Manager.UserId);
        var skipped = await ApprovalEmail(toDeputy, team.Deputy.UserId);
        Assert.Equal("skipped", skipped.State);
        Assert.Contains("orders.approve", skipped.Error);
        Assert.Contains("revoked", skipped.Error);
        Assert.Equal("sent", (await ApprovalEmail(toManager, team.Manager.UserId)).State);
    }

    private static Task<HttpResponseMessage> Step(MobileSession phone, string path, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return phone.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_deputy_is_asked_to_decide_an_agency_contract_sees_it_among_their_tasks_and_approves_it_in_the_managers_stead()
    {
        var region = Unique("region-");
        using var manager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), region);
        using var deputy = await hub.SignInAsync(Unique("dep-"), MobileRoles.Salesperson, Unique("office-"), region);
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), region);
        var code = Unique("DL");
        var dealer = await sales.PostAsync("/api/v1/customers", new { code, name = "宜昌万通专用车经销有限公司 " + code, kind = "Dealer", region });
        Assert.True(dealer.StatusCode == HttpStatusCode.Created, await dealer.Content.ReadAsStringAsync());
        var path = $"/api/v1/dealers/{(await dealer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid()}/contracts";
        var drafted = await sales.PostAsync(path, new { territory = "Hubei", validFrom = "2026-04-01", validTo = "2027-03-31", terms = "Exclusive" });
        Assert.True(drafted.StatusCode == HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var contract = $"{path}/{(await drafted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contractId").GetGuid()}";

        // Without a delegation the deputy may not decide.
        var submitted = await Step(sales, $"{contract}/submit", drafted.Headers.ETag!.Tag);
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        var number = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;
        var submittedTag = submitted.Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.NotFound, (await Step(deputy, $"{contract}/approve", submittedTag)).StatusCode);

        var lent = await manager.PostAsync("/api/v1/delegations", new
        {
            deputyUserId = deputy.UserId, permissions = new[] { "customers.read", "contracts.approve" },
            until = DateTimeOffset.UtcNow + hub.Clock.Offset + TimeSpan.FromHours(1),
        });
        Assert.True(lent.StatusCode == HttpStatusCode.Created, await lent.Content.ReadAsStringAsync());
        Assert.Contains(number, await deputy.Http.GetStringAsync("/api/v1/me/tasks?kind=agency-contract-approval"));
        Assert.DoesNotContain(number, await sales.Http.GetStringAsync("/api/v1/me/tasks?kind=agency-contract-approval"));

        var approved = await Step(deputy, $"{contract}/approve", submittedTag);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        var view = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Approved", deputy.UserId), (view.GetProperty("status").GetString(), view.GetProperty("approverId").GetString()));
        // The deputy decides; the contract's terms stay the managers' (dealers.terms was not lent).
        Assert.Equal(JsonValueKind.Null, view.GetProperty("terms").ValueKind);
        Assert.DoesNotContain(number, await deputy.Http.GetStringAsync("/api/v1/me/tasks?kind=agency-contract-approval"));
    }

    [Fact]
    public async Task Submitting_an_agency_contract_asks_the_regions_managers_and_their_deputies_in_force()
    {
        var region = Unique("region-");
        using var manager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), region);
        using var deputy = await hub.SignInAsync(Unique("dep-"), MobileRoles.Salesperson, Unique("office-"), region);
        using var elsewhere = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), Unique("region-"));
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), region);
        var lent = await manager.PostAsync("/api/v1/delegations", new { deputyUserId = deputy.UserId, permissions = new[] { "contracts.approve" } });
        Assert.True(lent.StatusCode == HttpStatusCode.Created, await lent.Content.ReadAsStringAsync());
        var code = Unique("DL");
        var dealer = await sales.PostAsync("/api/v1/customers", new { code, name = "襄阳专用车经销有限公司 " + code, kind = "Dealer", region });
        var path = $"/api/v1/dealers/{(await dealer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid()}/contracts";
        var drafted = await sales.PostAsync(path, new { territory = "Hubei", validFrom = "2026-04-01", validTo = "2027-03-31", terms = "Exclusive" });
        var contract = $"{path}/{(await drafted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contractId").GetGuid()}";
        var submitted = await Step(sales, $"{contract}/submit", drafted.Headers.ETag!.Tag);
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        var number = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;

        var asked = await Eventually.Get(() => AskedToApprove(number), a => a.Count >= 2, TimeSpan.FromSeconds(30), "manager and deputy asked");
        Assert.Equal(new[] { deputy.UserId, manager.UserId }.Order(StringComparer.Ordinal), asked.Order(StringComparer.Ordinal));
    }
}
