using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Tests.Ops;
using Microsoft.Extensions.DependencyInjection;
using Hub.TestSupport;
using Hub.Tests.Customers;

namespace Hub.Tests.Access;

/// <summary>
/// Who may do what to which data (003 §4.4.2, §4.4.5), through the real HTTP pipeline: data scope, grant vs execute,
/// delegation with an expiry, every role change on record.
/// </summary>
[Collection("access")]
public sealed class StaffAccessTests(AccessHub hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_salesperson_cannot_see_or_guess_another_salespersons_customer_by_id()
    {
        var office = Unique("office-");
        using var owner = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        using var colleague = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        var code = Unique("S").ToUpperInvariant();
        var id = await NewCustomer(owner, code);

        var seen = await colleague.Http.GetAsync($"/api/v1/customers/{id}");
        var guessed = await colleague.Http.GetAsync($"/api/v1/customers/{Guid.NewGuid()}");
        // Another's record answers exactly as one that does not exist: same status, same problem title.
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (seen.StatusCode, guessed.StatusCode));
        Assert.Equal((await Problem(guessed)).GetProperty("title").GetString(), (await Problem(seen)).GetProperty("title").GetString());
        foreach (var path in new[] { "history", "timeline", "contacts" })
            Assert.Equal(HttpStatusCode.NotFound, (await colleague.Http.GetAsync($"/api/v1/customers/{id}/{path}")).StatusCode);
        var search = await colleague.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers?q={code}");
        Assert.Equal(0, search.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_deputy_restores_with_the_managers_delegated_approval_while_it_is_valid_and_not_after_it_expires()
    {
        var region = Unique("region-");
        using var manager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), region);
        using var deputy = await hub.SignInAsync(Unique("dep-"), MobileRoles.Salesperson, Unique("office-"), region);
        using var owner = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), region);
        var id = await NewCustomer(owner, Unique("D").ToUpperInvariant());
        var asCreated = DateTimeOffset.UtcNow + hub.Clock.Offset;

        // Before any delegation the customer is out of the deputy's scope.
        Assert.Equal(HttpStatusCode.NotFound, (await Restore(deputy, id, asCreated)).StatusCode);

        var delegated = await manager.PostAsync("/api/v1/delegations", new
        {
            deputyUserId = deputy.UserId,
            permissions = new[] { "customers.read", "customers.restore" },
            until = DateTimeOffset.UtcNow + hub.Clock.Offset + TimeSpan.FromHours(1),
            reason = "travelling",
        });
        Assert.True(delegated.StatusCode == HttpStatusCode.Created, await delegated.Content.ReadAsStringAsync());
        var delegation = await delegated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", delegation.GetProperty("state").GetString());

        // The deputy acts with the manager's scope (the region), not their own.
        Assert.Equal(HttpStatusCode.OK, (await deputy.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);
        var restored = await Restore(deputy, id, asCreated);
        Assert.True(restored.StatusCode == HttpStatusCode.OK, await restored.Content.ReadAsStringAsync());
        var last = (await deputy.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/customers/{id}/history"))!.Last();
        Assert.Equal(("restored", deputy.UserId), (last.GetProperty("operation").GetString(), last.GetProperty("actor").GetString()));

        hub.Clock.Offset += TimeSpan.FromHours(2);
        try
        {
            // Expired: the very next call is out of scope again.
            Assert.Equal(HttpStatusCode.NotFound, (await deputy.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Restore(deputy, id, asCreated)).StatusCode);
            var mine = await deputy.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/delegations");
            Assert.Equal("expired", Assert.Single(mine!).GetProperty("state").GetString());
            // The manager's own right is untouched.
            Assert.Equal(HttpStatusCode.OK, (await manager.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);
        }
        finally
        {
            hub.Clock.Offset -= TimeSpan.FromHours(2);
        }
    }

    [Fact]
    public async Task A_revoked_delegation_stops_at_once_and_only_permissions_one_holds_can_be_lent()
    {
        var office = Unique("office-");
        using var supervisor = await hub.SignInAsync(Unique("sup-"), MobileRoles.OfficeSupervisor, office, "east");
        using var deputy = await hub.SignInAsync(Unique("dep-"), MobileRoles.Salesperson, office, "east");
        using var owner = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        var id = await NewCustomer(owner, Unique("R").ToUpperInvariant());

        var beyond = await supervisor.PostAsync("/api/v1/delegations", new { deputyUserId = deputy.UserId, permissions = new[] { "orders.approve" } });
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.True((await Problem(beyond)).GetProperty("errors").TryGetProperty("permissions", out _));
        var toStranger = await supervisor.PostAsync("/api/v1/delegations", new { deputyUserId = "nobody-" + Guid.NewGuid(), permissions = new[] { "customers.read" } });
        Assert.True((await Problem(toStranger)).GetProperty("errors").TryGetProperty("deputyUserId", out _));

        var created = await supervisor.PostAsync("/api/v1/delegations",
            new { deputyUserId = deputy.UserId, permissions = new[] { "customers.read", "customers.restore" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var delegationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await deputy.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);
        // A deputy does not lend on what was lent to them.
        using var third = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        var onward = await deputy.PostAsync("/api/v1/delegations", new { deputyUserId = third.UserId, permissions = new[] { "customers.restore" } });
        Assert.Equal(HttpStatusCode.BadRequest, onward.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await deputy.Http.DeleteAsync($"/api/v1/delegations/{delegationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.Http.DeleteAsync($"/api/v1/delegations/{delegationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await deputy.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);
        var access = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/staff/{supervisor.UserId}/access");
        var recorded = access.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("operation").GetString(), c.GetProperty("actor").GetString())).ToList();
        Assert.Contains(("added", supervisor.UserId), recorded);
        Assert.Contains(("modified", supervisor.UserId), recorded);
    }

    [Fact]
    public async Task Granting_a_role_without_the_grant_right_is_refused()
    {
        var office = Unique("office-");
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        using var colleague = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");

        var refused = await sales.Http.PutAsync($"/api/v1/staff/{colleague.UserId}/roles/salesperson", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var self = await sales.Http.PutAsync($"/api/v1/staff/{sales.UserId}/roles/office-supervisor", null);
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.Http.DeleteAsync($"/api/v1/staff/{colleague.UserId}/roles/salesperson")).StatusCode);
        var unknown = await sales.Http.PutAsync($"/api/v1/staff/{colleague.UserId}/roles/emperor", null);
        Assert.True((await Problem(unknown)).GetProperty("errors").TryGetProperty("role", out _));
    }

    [Fact]
    public async Task Nobody_grants_more_than_they_hold_or_beyond_their_scope_and_every_role_change_is_recorded()
    {
        var office = Unique("office-");
        var supervisorId = Unique("sup-");
        using var supervisor = await hub.SignInAsync(supervisorId, MobileRoles.OfficeSupervisor, office, "east");
        using var member = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        using var elsewhere = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), "east");
        using var owner = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        var id = await NewCustomer(owner, Unique("G").ToUpperInvariant());

        var tooMuch = await supervisor.Http.PutAsync($"/api/v1/staff/{member.UserId}/roles/manager", null);
        Assert.Equal(HttpStatusCode.Forbidden, tooMuch.StatusCode);
        Assert.Contains("orders.approve:Region", (await Problem(tooMuch)).GetProperty("beyond").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.Http.PutAsync($"/api/v1/staff/{elsewhere.UserId}/roles/office-supervisor", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);

        var granted = await supervisor.Http.PutAsync($"/api/v1/staff/{member.UserId}/roles/office-supervisor", null);
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Http.PutAsync($"/api/v1/staff/{member.UserId}/roles/office-supervisor", null)).StatusCode);
        // The new role applies on the member's next call: now they see their office's customers.
        Assert.Equal(HttpStatusCode.OK, (await member.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.Http.DeleteAsync($"/api/v1/staff/{member.UserId}/roles/office-supervisor")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.Http.GetAsync($"/api/v1/customers/{id}")).StatusCode);

        var access = await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/staff/{member.UserId}/access");
        Assert.Equal(["salesperson"], access.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var changes = access.GetProperty("changes").EnumerateArray().ToList();
        var granting = changes.Single(c => c.GetProperty("operation").GetString() == "added"
            && c.GetProperty("after").GetProperty("Role").GetString() == "office-supervisor");
        Assert.Equal((supervisorId, "mobile"), (granting.GetProperty("actor").GetString(), granting.GetProperty("channel").GetString()));
        var revoking = changes.Single(c => c.GetProperty("operation").GetString() == "deleted");
        Assert.Equal(("office-supervisor", supervisorId), (revoking.GetProperty("before").GetProperty("Role").GetString(), revoking.GetProperty("actor").GetString()));
        // Someone outside the granter's reach does not learn another's access.
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.GetAsync($"/api/v1/staff/{member.UserId}/access")).StatusCode);
    }

    [Fact]
    public async Task An_operations_admin_grants_operations_roles_in_the_same_store_never_beyond_their_own_and_on_record()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        using var operatorUser = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Operator);
        const string target = "ops-" + OpsRoles.Reader;
        using (var reader = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Reader))
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/ops/api/failed/0/archive", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await operatorUser.PutAsync($"/ops/api/staff/{target}/roles/{OpsRoles.Operator}", null)).StatusCode);
        var beyond = await admin.PutAsync($"/ops/api/staff/{target}/roles/manager", null);
        Assert.Equal(HttpStatusCode.Forbidden, beyond.StatusCode);
        Assert.Contains("orders.approve:Region", (await Problem(beyond)).GetProperty("beyond").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsync($"/ops/api/staff/nobody-{Guid.NewGuid():N}/roles/{OpsRoles.Operator}", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync($"/ops/api/staff/{target}/roles/{OpsRoles.Operator}", null)).StatusCode);
        try
        {
            // From the next sign-in the reader also operates: the archive route answers (404 for no such message), not 403.
            using var promoted = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Reader);
            Assert.Equal(HttpStatusCode.NotFound, (await promoted.PostAsync("/ops/api/failed/0/archive", null)).StatusCode);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/ops/api/staff/{target}/roles/{OpsRoles.Operator}")).StatusCode);
        }
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        var changes = await Hub.Persistence.History.ChangeHistory.Of<StaffRoleAssignment>(
            scope.ServiceProvider.GetRequiredService<Hub.Persistence.HubDbContext>(), $"{target}|{OpsRoles.Operator}", CancellationToken.None);
        Assert.Equal([("added", "ops-admin", "ops"), ("deleted", "ops-admin", "ops")], changes.Select(c => (c.Operation, c.Actor, c.Channel)));
    }

    private static async Task<Guid> NewCustomer(MobileSession owner, string code)
    {
        var created = await owner.PostAsync("/api/v1/customers", CustomersApiTests.NewCustomer(code, "杭州西湖电子有限公司 " + code, null));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid();
    }

    private static Task<HttpResponseMessage> Restore(MobileSession phone, Guid id, DateTimeOffset asOf) =>
        CustomerHistoryTests.Restore(phone, id, asOf, "\"1\"");

    private static async Task<JsonElement> Problem(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();
}
