using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Hub.Bench;

// Usage: dotnet run -c Release --project infra/Hub.Bench -- [orders=300] [output=docs/benchmarks.md]
//        dotnet run -c Release --project infra/Hub.Bench -- screen-pop [customers=1000000] [output=docs/benchmarks.md]
if (args.FirstOrDefault() == "screen-pop")
{
    await ScreenPopReport.Run(args.Skip(1).ToArray());
    return;
}
var orders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
var output = args.Length > 1 ? args[1] : "docs/benchmarks.md";
var postgres = Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
var rabbit = new Uri(Environment.GetEnvironmentVariable("HUB_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/");

var results = new List<FlowResult>
{
    await OrderFlowBench.Run("embedded (in-memory + SQLite)", orders, []),
    await OrderFlowBench.Run("RabbitMQ + PostgreSQL", orders, await OrderFlowBench.DistributedArgs(postgres, rabbit)),
};
// The same embedded run without the message audit: what auditing every message costs at this rate.
var auditOff = await OrderFlowBench.Run("embedded, audit off (Hub:Audit:Enabled=false)", orders, ["--Hub:Audit:Enabled=false"]);
var raw = await RawBrokerBench.Run(rabbit, messages: 20_000, size: results[^1].MessageBytes);

var md = new StringBuilder();
md.AppendLine("# Benchmarks").AppendLine();
md.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, by");
md.AppendLine("`bash infra/scripts/bench.sh` (the thin order flow: REST `POST /api/orders` → saga → ERP over SOAP → billing over REST → push).");
md.AppendLine("Figures come from one run on a shared machine: compare the ratios within the run, not across runs.").AppendLine();
md.AppendLine("| run | orders | orders/s | hub messages/s | p50 POST→push (ms) | p99 POST→push (ms) | peak working set (MiB) |");
md.AppendLine("|---|---|---|---|---|---|---|");
foreach (var r in results)
    md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Orders} | {r.OrdersPerSecond:0.0} | {r.MessagesPerSecond:0} | {r.P50Ms:0} | {r.P99Ms:0} | {r.PeakMiB:0} |");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Raw RabbitMQ.Client 7.1.2, persistent messages with publisher confirms, {raw.Size} bytes each (the size of an `OrderPlaced` envelope), publish and consume of {raw.Messages}: **{raw.MessagesPerSecond:0} messages/s**.");
md.AppendLine();
var distributed = results[^1];
md.AppendLine(CultureInfo.InvariantCulture, $"Ratio: the hub on RabbitMQ + PostgreSQL moves {distributed.MessagesPerSecond:0} messages/s, {distributed.MessagesPerSecond / raw.MessagesPerSecond:P1} of the raw broker's rate; each hub message also costs an inbox row, an outbox row, a saga or business row and an audit row in the database.");
md.AppendLine();
md.AppendLine("## Audit cost").AppendLine();
md.AppendLine("| run | orders/s | p50 POST→push (ms) | p99 POST→push (ms) |");
md.AppendLine("|---|---|---|---|");
foreach (var r in new[] { results[0], auditOff })
    md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.OrdersPerSecond:0.0} | {r.P50Ms:0} | {r.P99Ms:0} |");
md.AppendLine();
// Orders/s, not messages/s: without the audit the bench has no message count, and every order is the same number of messages.
var auditRatio = results[0].OrdersPerSecond / auditOff.OrdersPerSecond;
md.AppendLine(CultureInfo.InvariantCulture, $"Ratio audit on / audit off: **{auditRatio:P1}** of the throughput ({1 - auditRatio:P1} slower; the budget is 15 %). "
    + $"With the audit on, the background writer recorded {results[0].MessagesPerSecond / results[0].OrdersPerSecond:0.0} messages per order within the run, at {results[0].MessagesPerSecond:0} messages/s: ingestion kept up with the peak rate.");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
// The screen-pop figures come from their own run; keep them.
md.Append(ScreenPopReport.ExistingSection(output));
await File.WriteAllTextAsync(output, md.ToString());
Console.WriteLine(md.ToString());
