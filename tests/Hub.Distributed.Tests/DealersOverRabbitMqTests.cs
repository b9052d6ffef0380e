using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Hub.Distributed.Tests;

/// <summary>
/// The dealer queues with every host in its own process, on real RabbitMQ and PostgreSQL, and two Endpoints processes competing for
/// them: dealer commands sent over REST to the Adapters process are applied by an Endpoints process, and a completed order of the dealer
/// counts in its achievement ledger once.
/// </summary>
[Collection("distributed")]
public sealed class DealersOverRabbitMqTests(ITestOutputHelper output)
{
    [DistributedFact]
    public async Task Dealer_commands_over_rest_are_applied_by_competing_endpoints_and_a_completed_order_counts_once()
    {
        await using var hub = await DistributedHub.StartAsync();
        try
        {
            await hub.StartAnotherEndpointsAsync();
            using var phone = await hub.SignInAsync("sales-dist");
            var code = "D-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            var created = await phone.PostAsync("/api/v1/customers", new { code, name = "宜昌万通专用车经销 " + code, kind = "Dealer" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            var dealerId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetGuid();

            // Commands through the Adapters process, answered once an Endpoints process applied them.
            var visits = await Task.WhenAll(Enumerable.Range(1, 6).Select(day => phone.PostAsync($"/api/v1/dealers/{dealerId}/visits", new
            {
                visitedOn = $"2026-03-{day:00}",
                scores = new[] { new { criterion = "qualification", weight = 1m, score = 70m + day } },
            })));
            Assert.All(visits, v => Assert.Equal(HttpStatusCode.Created, v.StatusCode));
            var listed = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/dealers/{dealerId}/visits");
            Assert.Equal(6, listed.GetProperty("total").GetInt32());

            var orderId = Guid.NewGuid();
            var placed = await phone.PostAsync("/api/v1/orders", new
            {
                orderId, customerCode = code, ownerUserId = phone.UserId, contactEmail = "buyer@example.com",
                lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 3, unitPrice = 100m, discount = 0m } },
            });
            Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
            await Eventually.Get(hub.OrderStates, s => s.GetValueOrDefault(orderId) == "Closed", TimeSpan.FromSeconds(90), "the order closed");

            var achievement = await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/dealers/{dealerId}/achievement"),
                a => a.GetProperty("actual").GetProperty("units").GetInt32() > 0, TimeSpan.FromSeconds(30), "the order counted");
            Assert.Equal(3, achievement.GetProperty("actual").GetProperty("units").GetInt32());
            Assert.Equal(300m, achievement.GetProperty("actual").GetProperty("salesAmount").GetDecimal());
            Assert.Equal(1, await Scalar(hub, "SELECT count(*) FROM crm_dealer_achievement_entry WHERE \"SourceId\" = @id", orderId.ToString("N")));
        }
        catch
        {
            output.WriteLine(hub.Logs());
            throw;
        }
    }

    private static async Task<long> Scalar(DistributedHub hub, string sql, string id)
    {
        await using var conn = new NpgsqlConnection(hub.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("id", id);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
