using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.TestSupport;

namespace Hub.Tests;

/// <summary>The thin flow end to end on the embedded default: REST → saga → ERP over SOAP → billing over REST → push, email, ops.</summary>
[Collection("embedded")]
public sealed class EmbeddedOrderFlowTests(EmbeddedHubFixture hub)
{
    private HttpClient Http() => new() { BaseAddress = new Uri(hub.BaseUrl) };

    internal static object NewOrder(Guid id, string owner, string customer = "C1001", string? email = "buyer@example.com") => new
    {
        orderId = id,
        customerCode = customer,
        ownerUserId = owner,
        contactEmail = email,
        lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 2, unitPrice = 99.5m, discount = 0m } },
    };

    [Fact]
    public async Task Order_placed_over_rest_completes_and_reaches_push_email_partners_and_ops()
    {
        var owner = "sales-" + Guid.NewGuid().ToString("N")[..6];
        using var phone = await hub.SignInAsync(owner);
        await using var stream = await phone.OpenStreamAsync();
        using var http = phone.Http;
        var id = Guid.NewGuid();

        var email = $"{owner}@example.com";
        var response = await phone.PostAsync("/api/orders", NewOrder(id, owner, email: email));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var number = accepted.GetProperty("orderNumber").GetString()!;
        Assert.Equal($"/api/v1/orders/{id}", response.Headers.Location?.OriginalString);

        // The lifecycle: approved below the threshold, one work order billed and provisioned, audited, completed, archived, closed.
        var closed = await stream.WaitFor(e => e.Event == "order.status" && e.Json.GetProperty("status").GetString() == "Closed",
            TimeSpan.FromSeconds(30));
        Assert.Equal(id, closed.Json.GetProperty("orderId").GetGuid());

        var order = await http.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
        Assert.Equal("Closed", order.GetProperty("status").GetString());
        Assert.Equal("Active", order.GetProperty("productInstances")[0].GetProperty("status").GetString());
        var workOrder = order.GetProperty("workOrders").EnumerateArray().Single();
        Assert.Equal("Succeeded", workOrder.GetProperty("status").GetString());
        Assert.Equal(199m, order.GetProperty("totalAmount").GetDecimal());
        var erpNumber = order.GetProperty("erpSalesOrderNumber").GetString();
        Assert.False(string.IsNullOrEmpty(erpNumber));

        // Each partner saw the effect exactly once.
        using var sims = new HttpClient { BaseAddress = new Uri(hub.SimulatorsUrl) };
        var charge = (await sims.GetFromJsonAsync<JsonElement>("/sim/billing/received")).EnumerateArray()
            .Single(r => r.GetProperty("orderId").GetGuid() == id && r.GetProperty("kind").GetString() == "charge");
        Assert.Equal(1, charge.GetProperty("effects").GetInt32());
        Assert.Equal($"charge-{workOrder.GetProperty("workOrderId").GetGuid():N}", charge.GetProperty("key").GetString());
        var provisioning = (await sims.GetFromJsonAsync<JsonElement>("/sim/erp/received")).EnumerateArray()
            .Single(r => r.GetProperty("orderNumber").GetString() == number && r.GetProperty("operation").GetString() == "ProvisionResources");
        Assert.Equal(workOrder.GetProperty("resourceReference").GetString(), provisioning.GetProperty("result").GetString());
        var salesOrder = (await sims.GetFromJsonAsync<JsonElement>("/sim/erp/received")).EnumerateArray()
            .Single(r => r.GetProperty("orderNumber").GetString() == number && r.GetProperty("operation").GetString() == "CreateSalesOrder");
        Assert.Equal(1, salesOrder.GetProperty("effects").GetInt32());
        Assert.Equal(erpNumber, salesOrder.GetProperty("result").GetString());

        // One email to the customer, with text and HTML alternatives.
        var mail = await Eventually.Get(() => Task.FromResult(Directory.Exists(hub.MailDirectory)
                ? Directory.GetFiles(hub.MailDirectory, "*.eml").Where(f => File.ReadAllText(f).Contains(email)).ToArray() : []),
            f => f.Length >= 1, TimeSpan.FromSeconds(20), "completion email");
        Assert.Single(mail);
        var raw = await File.ReadAllTextAsync(mail[0]);
        Assert.Contains("text/plain", raw);
        Assert.Contains("text/html", raw);

        // The operations view lists the conversation with every message in it.
        using var ops = await Ops.OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        var found = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement[]>($"/ops/api/messages?key={number}")!,
            rows => rows!.Any(r => r.GetProperty("messageType").GetString() == "OrderCompleted"), TimeSpan.FromSeconds(20), "audited completion");
        var conversationId = found!.First(r => r.GetProperty("messageType").GetString() == "OrderPlaced").GetProperty("conversationId").GetGuid();
        var conversation = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement[]>($"/ops/api/conversations/{conversationId}")!,
            rows => new[] { "PlaceOrder", "OrderPlaced", "CreateBillingCharge", "ProvisionErpResources", "BillingChargeCreated", "ErpResourcesProvisioned",
                    "CreateErpSalesOrder", "ErpSalesOrderCreated", "OrderCompleted" }
                .All(t => rows!.Any(r => r.GetProperty("messageType").GetString() == t)),
            TimeSpan.FromSeconds(20), "whole conversation audited");
        Assert.All(conversation!, r => Assert.Equal("consumed", r.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Placing_the_same_order_twice_places_it_once()
    {
        var owner = "sales-" + Guid.NewGuid().ToString("N")[..6];
        using var phone = await hub.SignInAsync(owner);
        var http = phone.Http;
        var key = Guid.NewGuid().ToString();
        var body = NewOrder(Guid.Empty, owner);
        var json = JsonSerializer.Serialize(body).Replace("\"orderId\":\"00000000-0000-0000-0000-000000000000\",", "");

        HttpResponseMessage Post()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return http.Send(request);
        }
        var first = await Post().Content.ReadFromJsonAsync<JsonElement>();
        var second = await Post().Content.ReadFromJsonAsync<JsonElement>();
        var id = first.GetProperty("orderId").GetGuid();
        Assert.Equal(id, second.GetProperty("orderId").GetGuid());

        await Eventually.Get(() => http.GetFromJsonAsync<JsonElement>($"/api/orders/{id}"),
            o => o.GetProperty("status").GetString() == "Closed", TimeSpan.FromSeconds(30), "closed");
        using var sims = new HttpClient { BaseAddress = new Uri(hub.SimulatorsUrl) };
        var charges = (await sims.GetFromJsonAsync<JsonElement>("/sim/billing/received")).EnumerateArray()
            .Where(r => r.GetProperty("orderId").GetGuid() == id).ToArray();
        Assert.Single(charges);
        Assert.Equal(1, charges[0].GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Billing_refusal_fails_the_order_with_the_reason_and_releases_the_provisioned_resources()
    {
        var owner = "sales-" + Guid.NewGuid().ToString("N")[..6];
        using var phone = await hub.SignInAsync(owner);
        var http = phone.Http;
        await using var stream = await phone.OpenStreamAsync();
        var id = Guid.NewGuid();
        var accepted = await (await phone.PostAsync("/api/orders", NewOrder(id, owner, customer: "NOFUNDS-7"))).Content.ReadFromJsonAsync<JsonElement>();
        var number = accepted.GetProperty("orderNumber").GetString();

        var failed = await stream.WaitFor(e => e.Json.GetProperty("status").GetString() == "Failed", TimeSpan.FromSeconds(30));
        Assert.Contains("insufficient credit", failed.Json.GetProperty("reason").GetString());
        var order = await http.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
        Assert.Equal("Failed", order.GetProperty("status").GetString());
        Assert.Equal("Cancelled", order.GetProperty("productInstances")[0].GetProperty("status").GetString());
        // The order failed only once the ERP confirmed the release of what it had provisioned.
        using var sims = new HttpClient { BaseAddress = new Uri(hub.SimulatorsUrl) };
        var release = (await sims.GetFromJsonAsync<JsonElement>("/sim/erp/received")).EnumerateArray()
            .Single(r => r.GetProperty("orderNumber").GetString() == number && r.GetProperty("operation").GetString() == "ReleaseResources");
        Assert.Equal(1, release.GetProperty("effects").GetInt32());
        Assert.Equal("released", release.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Unknown_order_is_a_404_problem()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var response = await phone.Http.GetAsync($"/api/orders/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_reports_ready_with_store_and_bus()
    {
        using var http = Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("checks").TryGetProperty("store", out _));
        Assert.True(report.GetProperty("checks").EnumerateObject().Count() >= 2, "the bus reports too");
    }
}
