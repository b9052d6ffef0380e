using Hub.Adapters;
using Hub.Infrastructure;

namespace Hub.Tests.Billing;

/// <summary>Billing's resilience settings are checked when the host starts, not at the first charge.</summary>
public sealed class BillingResilienceSettingsTests
{
    [Theory]
    [InlineData("MaxRetries", "0")]
    [InlineData("BreakerMinimumThroughput", "1")]
    [InlineData("AttemptTimeout", "00:00:00")]
    public async Task Setting_polly_refuses_stops_the_start_naming_the_setting(string setting, string value)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-billing-settings-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            await using var app = HubApp.Build(
                ["--urls=http://127.0.0.1:0", $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", "--Logging:Format=simple",
                    $"--Partners:Billing:Resilience:{setting}={value}"],
                "http://127.0.0.1:0", [new AdaptersModule()]);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
            Assert.Contains($"Partners:Billing:Resilience:{setting}", error.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
