using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Soap.Tests.Infrastructure;
using Hub.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Hub.Distributed.Tests;

/// <summary>
/// The inbound ERP path with every host in its own process: the ERP (zeep, from the served WSDL) calls /soap/erp on the Adapters
/// host, the command crosses real RabbitMQ to the Endpoints host, which records it in PostgreSQL.
/// </summary>
[Collection("distributed")]
public sealed class ErpInboundOverRabbitMqTests(ITestOutputHelper output)
{
    [DistributedFact]
    public async Task Payment_receipt_reported_to_the_adapters_host_lands_in_postgres_once_with_its_offset_and_a_repeat_gets_the_first_answer()
    {
        await using var hub = await DistributedHub.StartAsync();
        try
        {
            using var phone = await hub.SignInAsync("sales-dist");
            var id = Guid.NewGuid();
            var placed = await phone.PostAsync("/api/orders", new
            {
                orderId = id, customerCode = "C2001", ownerUserId = phone.UserId, contactEmail = "buyer@example.com",
                lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 1, unitPrice = 199.0m, discount = 0m } },
            });
            Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
            var number = await Eventually.Get(async () =>
            {
                var response = await phone.Http.GetAsync($"/api/orders/{id}");
                return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNumber").GetString() : null;
            }, n => n is not null, TimeSpan.FromSeconds(60), "order placed");

            var documentId = "PAY-DIST-" + Guid.NewGuid().ToString("N");
            var arguments = JsonSerializer.Serialize(new { documentId, orderNumber = number, receiptNumber = "SK-DIST-1", amount = 199.00m, receivedAt = "2026-11-20T10:15:00+08:00" });
            var first = await Report(hub, arguments, "soap11", repeat: 2);
            var again = await Report(hub, arguments, "soap12", repeat: 1);
            var receipts = first.Concat(again).Select(r => r.GetProperty("result").GetProperty("receiptId").GetString()).Distinct().ToArray();
            var receipt = Guid.Parse(Assert.Single(receipts)!);

            var rows = await Eventually.Get(() => PaymentReceipts(hub, number!), r => r.Count > 0, TimeSpan.FromSeconds(60), "payment receipt in PostgreSQL");
            var row = Assert.Single(rows);
            Assert.Equal((receipt, DistributedHub.ErpPartner, documentId, 199.00m, 480), (row.ReceiptId, row.PartnerId, row.DocumentId, row.Amount, row.OffsetMinutes));
            Assert.Equal(new DateTime(2026, 11, 20, 2, 15, 0), row.ReceivedOnUtc);
            Assert.Equal(1, await Count(hub, "SELECT count(*) FROM erp_inbound_document WHERE \"DocumentId\" = @p", documentId));

            // The order query of the Adapters host answers with the receipt as the ERP wrote it.
            var order = await phone.Http.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
            var payment = Assert.Single(order.GetProperty("payments").EnumerateArray());
            Assert.Equal("2026-11-20T10:15:00+08:00", payment.GetProperty("receivedOn").GetString());
            // Still one row once everything has settled: the repeats were answered without a second command.
            Assert.Single(await PaymentReceipts(hub, number!));
        }
        catch
        {
            output.WriteLine(hub.Logs());
            throw;
        }
    }

    private static async Task<JsonElement[]> Report(DistributedHub hub, string arguments, string binding, int repeat)
    {
        var result = await Zeep.RunScriptAsync("erp_hub_client.py", hub.Adapters.BaseUrl.TrimEnd('/') + "/soap/erp?wsdl", "ReportPaymentReceipt", arguments,
            "--binding", binding, "--username", DistributedHub.ErpUsername, "--password", hub.ErpPassword, "--digest", "yes", "--repeat", repeat.ToString());
        var results = result.GetProperty("results").EnumerateArray().ToArray();
        Assert.All(results, r => Assert.True(r.TryGetProperty("result", out var answer) && answer.GetProperty("accepted").GetBoolean(), $"not accepted: {r}"));
        return results;
    }

    private sealed record PaymentRow(Guid ReceiptId, string PartnerId, string DocumentId, decimal Amount, DateTime ReceivedOnUtc, int OffsetMinutes);

    private static async Task<List<PaymentRow>> PaymentReceipts(DistributedHub hub, string orderNumber)
    {
        await using var conn = new NpgsqlConnection(hub.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT \"ReceiptId\", \"PartnerId\", \"DocumentId\", \"Amount\", \"ReceivedOn\", \"ReceivedOnOffsetMinutes\" FROM erp_payment_receipt WHERE \"OrderNumber\" = @p", conn);
        cmd.Parameters.AddWithValue("p", orderNumber);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<PaymentRow>();
        while (await reader.ReadAsync())
            rows.Add(new PaymentRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3), reader.GetDateTime(4), reader.GetInt32(5)));
        return rows;
    }

    private static async Task<long> Count(DistributedHub hub, string sql, string value)
    {
        await using var conn = new NpgsqlConnection(hub.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("p", value);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
