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
        return await db.Set<PushEvent>().AsNoTracking().Where(e => e.Kind == "approval.waiting" && e.Payload.Contains(orderNumber))
            .Select(e => e.UserId).OrderBy(u => u).ToListAsync();
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
}
