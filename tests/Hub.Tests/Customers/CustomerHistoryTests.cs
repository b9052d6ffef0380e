using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Soap.ErpHub;
using Hub.Adapters.Identity;
using Hub.Endpoints.Erp;
using Hub.Persistence;
using Hub.Persistence.History;
using Hub.Soap.Tests.Infrastructure;
using Hub.TestSupport;
using Hub.Tests.Erp;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Customers;

/// <summary>Every change on record (003 §3.15, §4.4.5.2): who, when, through what, before and after; a customer as of a moment, and restored to it.</summary>
[Collection("embedded")]
public sealed class CustomerHistoryTests(EmbeddedHubFixture hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task A_change_over_rest_is_on_record_with_its_caller_and_a_supervisor_restores_the_customer_as_it_was()
    {
        var office = Unique("office-");
        var salesId = Unique("sales-");
        using var sales = await hub.SignInAsync(salesId, office: office);
        var code = Unique("H");
        var created = await sales.PostAsync("/api/v1/customers", CustomersApiTests.NewCustomer(code, "上海浦东通信器材有限公司", "021-5888-0001"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid();
        var asCreated = DateTimeOffset.UtcNow;
        await Eventually.Get(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > asCreated.AddMilliseconds(50), TimeSpan.FromSeconds(2), "time moved on");

        using (var rename = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/customers/{id}")
               { Content = JsonContent.Create(CustomersApiTests.NewCustomer(code, "浦东通信", "021-5888-0002")) })
        {
            rename.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            Assert.Equal(HttpStatusCode.OK, (await sales.Http.SendAsync(rename)).StatusCode);
        }

        var history = await sales.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/customers/{id}/history");
        Assert.Equal(["added", "modified"], history!.Select(c => c.GetProperty("operation").GetString()));
        Assert.All(history!, c => Assert.Equal((salesId, "mobile"), (c.GetProperty("actor").GetString(), c.GetProperty("channel").GetString())));
        Assert.All(history!, c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("messageId").ValueKind));
        Assert.Equal("上海浦东通信器材有限公司", history![1].GetProperty("before").GetProperty("Name").GetString());
        Assert.Equal("浦东通信", history[1].GetProperty("after").GetProperty("Name").GetString());

        var then = await sales.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}/as-of?at={Uri.EscapeDataString(asCreated.ToString("O"))}");
        Assert.Equal("上海浦东通信器材有限公司", then.GetProperty("Name").GetString());

        // Out of scope: another salesperson neither sees the history nor can guess it by id.
        using (var other = await hub.SignInAsync(Unique("sales-"), office: Unique("office-")))
            Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/v1/customers/{id}/history")).StatusCode);

        // A salesperson may not restore; their office's supervisor may.
        Assert.Equal(HttpStatusCode.Forbidden, (await Restore(sales, id, asCreated, "\"2\"")).StatusCode);
        var supervisorId = Unique("super-");
        using var supervisor = await hub.SignInAsync(supervisorId, MobileRoles.OfficeSupervisor, office: office);
        var restored = await Restore(supervisor, id, asCreated, "\"2\"");
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        var restoredView = await restored.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("上海浦东通信器材有限公司", "021-5888-0001"), (restoredView.GetProperty("name").GetString(), restoredView.GetProperty("phone").GetString()));
        // The phone came back from the sealed history, and its blind index with it: the old number finds the customer again.
        var popped = await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/v1/customers/screen-pop?caller=02158880001");
        Assert.Contains(id, popped.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()));
        Assert.Equal("021-5888-0001", history![1].GetProperty("before").GetProperty("Phone").GetString());

        var after = await supervisor.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/customers/{id}/history");
        var last = after!.Last();
        Assert.Equal(("restored", supervisorId), (last.GetProperty("operation").GetString(), last.GetProperty("actor").GetString()));
        Assert.StartsWith("restored to ", last.GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await Restore(supervisor, id, asCreated.AddYears(-1), "\"3\"")).StatusCode);
    }

    [Fact]
    public async Task A_change_over_soap_is_on_record_with_the_erp_that_made_it()
    {
        var product = Unique("P-");
        var body = $"""<ReportProductChange xmlns="{ErpHubContract.Namespace}"><documentId>{Unique("PRD-")}</documentId><productCode>{product}</productCode><name>光猫 千兆</name><specModel>GPON</specModel><state>Active</state></ReportProductChange>""";
        using var http = new HttpClient();
        var answer = await Envelopes.PostSoap11Async(http, new Uri(hub.BaseUrl + ErpHubContract.DefaultPath),
            Envelopes.Envelope(body, Envelopes.Security(ErpTestPartners.PushUsername, ErpTestPartners.Password)), $"\"{ErpHubContract.Actions.ReportProductChange}\"");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);

        var changes = await Eventually.Get(async () =>
        {
            await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
            return await ChangeHistory.Of<ErpProduct>(scope.ServiceProvider.GetRequiredService<HubDbContext>(), product, CancellationToken.None);
        }, c => c.Count > 0, TimeSpan.FromSeconds(30), "product change recorded");
        var change = Assert.Single(changes);
        Assert.Equal(("added", ErpTestPartners.PushPartner, "erp-soap"), (change.Operation, change.Actor, change.Channel));
        Assert.NotNull(change.MessageId);
    }

    [Fact]
    public async Task Credit_grades_reach_only_supervisors_and_managers_in_every_answer()
    {
        var office = Unique("office-");
        using var sales = await hub.SignInAsync(Unique("sales-"), office: office);
        var code = Unique("G");
        var created = await (await sales.PostAsync("/api/v1/customers", CustomersApiTests.NewCustomer(code, "苏州工业园区信达物流", "0512-6666-0001")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("customerId").GetGuid();
        Assert.Equal(JsonValueKind.Null, created.GetProperty("creditGrade").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await sales.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}")).GetProperty("creditGrade").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.Http.GetAsync("/api/v1/customers?creditGrade=A")).StatusCode);
        var history = await sales.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/customers/{id}/history");
        Assert.False(history![0].GetProperty("after").TryGetProperty("CreditGrade", out _));
        Assert.True(history[0].GetProperty("after").TryGetProperty("Name", out _));

        using var supervisor = await hub.SignInAsync(Unique("super-"), MobileRoles.OfficeSupervisor, office: office);
        Assert.NotEqual(JsonValueKind.Null, (await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}")).GetProperty("creditGrade").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Http.GetAsync("/api/v1/customers?creditGrade=A")).StatusCode);
        var seen = await supervisor.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/customers/{id}/history");
        Assert.True(seen![0].GetProperty("after").TryGetProperty("CreditGrade", out _));
    }

    internal static Task<HttpResponseMessage> Restore(MobileSession phone, Guid id, DateTimeOffset asOf, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/customers/{id}/restore") { Content = JsonContent.Create(new { asOf }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return phone.Http.SendAsync(request);
    }
}

/// <summary>A customer's history in one timeline: orders, service tickets, notifications, record changes.</summary>
[Collection("embedded")]
public sealed class CustomerTimelineTests(EmbeddedHubFixture hub)
{
    [Fact]
    public async Task Orders_tickets_notifications_and_changes_of_a_customer_show_in_one_timeline_newest_first()
    {
        var salesId = "sales-" + Guid.NewGuid().ToString("N")[..8];
        using var sales = await hub.SignInAsync(salesId);
        var code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var customer = await (await sales.PostAsync("/api/v1/customers", CustomersApiTests.NewCustomer(code, "宁波港城物流有限公司", "0574-8777-0001")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = customer.GetProperty("customerId").GetGuid();

        var order = await sales.PostAsync("/api/orders", new
        {
            orderId = Guid.NewGuid(), customerCode = code, ownerUserId = salesId, contactEmail = "buyer@ngport.example.com",
            lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 1, unitPrice = 199m, discount = 0m } },
        });
        Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync());
        var ticket = await sales.PostAsync("/api/v1/service-tickets", ServiceTickets.ServiceTicketApiTests.NewTicket("Request", code));
        Assert.True(ticket.IsSuccessStatusCode, await ticket.Content.ReadAsStringAsync());

        var timeline = await Eventually.Get(() => sales.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/customers/{id}/timeline")!,
            t => new[] { "order", "service-ticket", "notification", "change" }.All(k => t!.Any(e => e.GetProperty("kind").GetString() == k)),
            TimeSpan.FromSeconds(60), "order, ticket, notification and change in the timeline");
        var times = timeline!.Select(e => e.GetProperty("at").GetDateTime()).ToArray();
        Assert.Equal(times.OrderByDescending(t => t), times);

        using var other = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..8], office: "elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/v1/customers/{id}/timeline")).StatusCode);
    }
}
