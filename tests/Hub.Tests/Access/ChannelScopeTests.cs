using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Notifications;
using Crm.Contracts.Soap.ErpHub;
using Hub.Adapters.Identity;
using Hub.Adapters.Push;
using Hub.Infrastructure.Audit;
using Hub.Persistence;
using Hub.Soap.Tests.Infrastructure;
using Hub.TestSupport;
using Hub.Tests.Customers;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Access;

/// <summary>The same data scope on the other channels: SOAP queries of an ERP partner, push content.</summary>
[Collection("access")]
public sealed class ChannelScopeTests(AccessHub hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task An_erp_queries_over_soap_only_the_customers_and_orders_of_its_regions()
    {
        using var sales = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), "east");
        var north = Unique("N");
        var east = Unique("E");
        foreach (var (code, region) in new[] { (north, AccessHub.NorthRegion), (east, "华东") })
            Assert.Equal(HttpStatusCode.Created,
                (await sales.PostAsync("/api/v1/customers", CustomersApiTests.NewCustomer(code, "北方物流 " + code, null, region: region))).StatusCode);
        var northOrder = await PlaceOrder(sales, north);
        var eastOrder = await PlaceOrder(sales, east);

        var seen = await Query("QueryCustomer", $"<customerCode>{north}</customerCode>");
        Assert.True(seen.Status == HttpStatusCode.OK, seen.Body);
        Assert.Contains($"<customerCode>{north}</customerCode>", seen.Body);
        // Out of the ERP's regions answers exactly as an unknown code.
        var hidden = await Query("QueryCustomer", $"<customerCode>{east}</customerCode>");
        var unknown = await Query("QueryCustomer", "<customerCode>C-NO-SUCH</customerCode>");
        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError), (hidden.Status, unknown.Status));
        Assert.Contains("UNKNOWN_CUSTOMER", hidden.Body);
        Assert.DoesNotContain("北方物流", hidden.Body);

        var order = await Eventually.Get(() => Query("QueryOrder", $"<orderNumber>{northOrder}</orderNumber>"),
            r => r.Body.Contains($"<orderNumber>{northOrder}</orderNumber>"), TimeSpan.FromSeconds(30), "the north order is queryable");
        Assert.Equal(HttpStatusCode.OK, order.Status);
        // The east order exists (its owner sees it) but the north ERP gets no order element for it.
        await Eventually.Get(() => sales.Http.GetStringAsync($"/api/v1/orders?q={eastOrder}"), body => body.Contains(eastOrder),
            TimeSpan.FromSeconds(30), "the east order is placed");
        var other = await Query("QueryOrder", $"<orderNumber>{eastOrder}</orderNumber>");
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.DoesNotContain(eastOrder, other.Body);
    }

    [Fact]
    public async Task An_approval_push_reaches_only_a_recipient_whose_approval_right_covers_the_requester()
    {
        var region = Unique("region-");
        using var owner = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), region);
        using var manager = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), region);
        using var elsewhere = await hub.SignInAsync(Unique("mgr-"), MobileRoles.Manager, Unique("office-"), Unique("region-"));
        using var colleague = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, Unique("office-"), region);

        var bus = hub.Hub.Hub.Services.GetRequiredService<IBus>();
        var messages = new Dictionary<string, Guid>();
        foreach (var recipient in new[] { colleague.UserId, elsewhere.UserId, manager.UserId })
        {
            var messageId = Guid.NewGuid();
            messages[recipient] = messageId;
            await bus.Publish(new ApprovalRequested(Guid.NewGuid(), "order", Unique("SO-"), recipient, owner.UserId, DateTimeOffset.UtcNow),
                c => c.MessageId = messageId);
        }

        // Every one handled by the push endpoint (the audit records it), then: only the manager of the requester's region got it.
        var ids = messages.Values.ToArray();
        await Eventually.Get(async () =>
            {
                await using var audit = hub.Hub.Hub.Services.GetRequiredService<HubModuleStore>().OpenAudit();
                return await audit.Set<AuditedMessage>().AsNoTracking()
                    .Where(a => ids.Contains(a.MessageId) && a.Endpoint.Contains("push")).Select(a => a.MessageId).Distinct().CountAsync();
            },
            n => n == ids.Length, TimeSpan.FromSeconds(30), "the three approvals handled by the push endpoint");
        var pushedTo = await Query(db => db.Set<PushEvent>().AsNoTracking()
            .Where(e => e.Kind == "approval.waiting" && messages.Keys.Contains(e.UserId)).Select(e => e.UserId).ToListAsync());
        Assert.Equal([manager.UserId], pushedTo);
    }

    private async Task<string> PlaceOrder(MobileSession sales, string customerCode)
    {
        var placed = await sales.PostAsync("/api/v1/orders", new { customerCode, lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 1, unitPrice = 99.5m } } });
        Assert.True(placed.StatusCode == HttpStatusCode.Accepted, await placed.Content.ReadAsStringAsync());
        return (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNumber").GetString()!;
    }

    private async Task<SoapHttpResult> Query(string operation, string arguments)
    {
        using var http = new HttpClient();
        return await Envelopes.PostSoap11Async(http, new Uri(hub.BaseUrl + ErpHubContract.DefaultPath),
            Envelopes.Envelope($"""<{operation} xmlns="{ErpHubContract.Namespace}">{arguments}</{operation}>""",
                Envelopes.Security(AccessHub.NorthErp, Erp.ErpTestPartners.Password)), $"\"{ErpHubContract.Namespace}/{operation}\"");
    }

    private async Task<T> Query<T>(Func<HubDbContext, Task<T>> read)
    {
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }
}
