using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.TestSupport;
using Xunit.Abstractions;

namespace Hub.Distributed.Tests;

/// <summary>The thin order flow with every host in its own process, on real RabbitMQ and PostgreSQL.</summary>
[Collection("distributed")]
public sealed class OrderFlowOverRabbitMqTests(ITestOutputHelper output)
{
    private static object NewOrder(Guid id, string owner, string customer = "C2001") => new
    {
        orderId = id,
        customerCode = customer,
        ownerUserId = owner,
        contactEmail = "buyer@example.com",
        lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 1, unitPrice = 199.0m, discount = 0m } },
    };

    [DistributedFact]
    public async Task Order_flows_through_separate_hosts_to_completion_push_and_email()
    {
        await using var hub = await DistributedHub.StartAsync();
        try
        {
            using var phone = await hub.SignInAsync("sales-dist");
            var owner = phone.UserId;
            await using var stream = await phone.OpenStreamAsync();
            var http = phone.Http;
            var id = Guid.NewGuid();

            var accepted = await phone.PostAsync("/api/orders", NewOrder(id, owner));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

            var completed = await stream.WaitFor(e => e.Json.GetProperty("status").GetString() == "Completed", TimeSpan.FromSeconds(60));
            Assert.Equal(id, completed.Json.GetProperty("orderId").GetGuid());

            var order = await http.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
            Assert.Equal("Closed", order.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(order.GetProperty("erpSalesOrderNumber").GetString()));

            var mail = await Eventually.Get(() => Task.FromResult(Directory.Exists(hub.MailDirectory) ? Directory.GetFiles(hub.MailDirectory, "*.eml") : []),
                files => files.Length == 1, TimeSpan.FromSeconds(30), "completion email");
            Assert.Contains("buyer@example.com", await File.ReadAllTextAsync(mail[0]));
        }
        catch
        {
            output.WriteLine(hub.Logs());
            throw;
        }
    }

    [DistributedFact]
    public async Task Hundred_orders_survive_a_kill_9_of_the_endpoints_host_with_each_partner_effect_exactly_once()
    {
        // Partner latency keeps orders in flight when the process dies.
        await using var hub = await DistributedHub.StartAsync("--Simulators:Billing:LatencyMs=40", "--Simulators:Erp:LatencyMs=40");
        try
        {
            using var phone = await hub.SignInAsync("sales-crash");
            var ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
            {
                var response = await phone.PostAsync("/api/orders", NewOrder(id, "sales-crash"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            });

            // Kill once the flow is well under way but not finished.
            await Eventually.Get(hub.OrderStates, s => s.Values.Count(v => v == "Closed") >= 10, TimeSpan.FromSeconds(60), "first completions");
            var before = await hub.OrderStates();
            output.WriteLine($"killing Endpoints with {before.Values.Count(v => v == "Closed")} of 100 completed, {before.Count} started");
            await hub.CrashAndRestartEndpoints();

            var states = await Eventually.Get(hub.OrderStates, s => ids.All(id => s.GetValueOrDefault(id) == "Closed"),
                TimeSpan.FromMinutes(3), "all 100 orders completed");
            Assert.All(ids, id => Assert.Equal("Closed", states[id]));

            var charges = (await hub.SimulatorRecords("billing")).EnumerateArray().Where(r => r.GetProperty("kind").GetString() == "charge").ToArray();
            Assert.Equal(100, charges.Length);
            Assert.All(charges, c => Assert.Equal(1, c.GetProperty("effects").GetInt32()));
            var salesOrders = (await hub.SimulatorRecords("erp")).EnumerateArray()
                .Where(r => r.GetProperty("operation").GetString() == "CreateSalesOrder").ToArray();
            Assert.Equal(100, salesOrders.Length);
            Assert.All(salesOrders, s => Assert.Equal(1, s.GetProperty("effects").GetInt32()));
        }
        catch
        {
            output.WriteLine(hub.Logs());
            throw;
        }
    }
}
