using System.Diagnostics;
using System.Text;
using Hub.Infrastructure;
using Hub.Infrastructure.Audit;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Bench;

/// <summary>What sealing costs the audit writer, per row: the AES-GCM of headers and body alone, and the whole bulk insert.</summary>
/// <param name="Rows">Rows per batch run.</param>
/// <param name="BodyBytes">Size of each body (a customer registration envelope).</param>
/// <param name="SealMicroseconds">Sealing headers and body of one row.</param>
/// <param name="InsertMicroseconds">Writing one row with the audit's bulk path (sealing included).</param>
public sealed record AuditSealResult(int Rows, int BodyBytes, double SealMicroseconds, double InsertMicroseconds)
{
    /// <summary>The share of the audit's write time spent sealing.</summary>
    public double SealShare => SealMicroseconds / InsertMicroseconds;
}

/// <summary>
/// The body encryption's cost on audit ingestion, measured on the audit's own write path (<see cref="AuditBulkInsert"/>
/// into a fresh SQLite audit file, batches of 1,000 as the writer makes them): best of three rounds each, so a neighbour's
/// load on a shared machine inflates neither side alone.
/// </summary>
public static class AuditSealBench
{
    public static async Task<AuditSealResult> Run(int rows)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-bench-seal-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            await using var app = HubApp.Build(["--urls=http://127.0.0.1:0", $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", "--Logging:LogLevel:Default=Warning"],
                "http://127.0.0.1:0", []);
            await app.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
            var keys = app.Services.GetRequiredService<ColumnKeyRing>();
            var store = app.Services.GetRequiredService<HubModuleStore>();
            var body = RegistrationEnvelope();
            var batch = Enumerable.Range(0, 1000).Select(i => new AuditedMessage
            {
                MessageId = Guid.NewGuid(), MessageType = "RegisterCustomer", ConversationId = Guid.NewGuid(), Endpoint = "crm-customers",
                ProcessedAt = DateTime.UtcNow, ProcessingMs = 1.5, Outcome = "consumed", BusinessKeys = $";customerCode=C{i};",
                Headers = "{\"MT-Activity-Id\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",\"MT-Host-MachineName\":\"hub-1\"}", Body = body,
            }).ToList();

            var seal = double.MaxValue;
            var insert = double.MaxValue;
            for (var round = 0; round < 3; round++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < rows; i++)
                {
                    var row = batch[i % batch.Count];
                    keys.Encrypt(row.Headers);
                    keys.Encrypt(row.Body);
                }
                seal = Math.Min(seal, watch.Elapsed.TotalMicroseconds / rows);

                watch.Restart();
                for (var written = 0; written < rows; written += batch.Count)
                {
                    await using var db = store.OpenAudit();
                    await AuditBulkInsert.InsertAsync(db, batch.Take(Math.Min(batch.Count, rows - written)).ToList(), CancellationToken.None);
                }
                insert = Math.Min(insert, watch.Elapsed.TotalMicroseconds / rows);
            }
            return new AuditSealResult(rows, Encoding.UTF8.GetByteCount(body), seal, insert);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A MassTransit JSON envelope of a RegisterCustomer with every sensitive field, as the audit receives it.</summary>
    private static string RegistrationEnvelope() =>
        "{\"messageId\":\"" + Guid.NewGuid() + "\",\"conversationId\":\"" + Guid.NewGuid() + "\",\"sourceAddress\":\"rabbitmq://localhost/hub_adapters\"," +
        "\"destinationAddress\":\"rabbitmq://localhost/crm-customers\",\"messageType\":[\"urn:message:Crm.Contracts.Customers:RegisterCustomer\"]," +
        "\"message\":{\"commandId\":\"" + Guid.NewGuid() + "\",\"customerId\":\"" + Guid.NewGuid() + "\",\"profile\":{\"code\":\"C100234\"," +
        "\"name\":\"杭州华信密封科技有限公司\",\"kind\":\"Direct\",\"industry\":\"制造\",\"region\":\"east\",\"address\":\"浙江省杭州市西湖区文三路 478 号\"," +
        "\"postcode\":\"310013\",\"phone\":\"0571-8702 4455\",\"fax\":\"0571-8702 4456\",\"email\":\"finance@example.com\"," +
        "\"registrationNumber\":\"91330100MA2ABCDE7Q\",\"bankAccount\":\"6228 4801 2345 6789 012\"},\"ownerSalespersonId\":\"sales-li\",\"actor\":\"sales-li\"}," +
        "\"sentTime\":\"2026-11-23T04:00:00Z\",\"headers\":{},\"host\":{\"machineName\":\"hub-1\",\"processName\":\"Hub.Adapters\",\"processId\":4242," +
        "\"assembly\":\"Hub.Adapters\",\"assemblyVersion\":\"1.0.0.0\",\"frameworkVersion\":\"10.0.0\",\"massTransitVersion\":\"8.4.0.0\",\"operatingSystemVersion\":\"Unix 6.1\"}}";
}
