using Hub.Adapters.Mobile;
using Hub.Embedded;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Hub.TestSupport;

namespace Hub.Tests.Mobile;

/// <summary>Stored answers to mobile POSTs are purged in the background once older than the configured retention.</summary>
public sealed class IdempotencyRetentionTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hub-idem-" + Guid.NewGuid().ToString("N")[..8]);
    private EmbeddedHub _hub = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0", "--Simulators:Enabled=false", $"--Hub:SqlitePath={Path.Combine(_root, "hub.db")}",
            $"--Smtp:PickupDirectory={Path.Combine(_root, "mail")}", "--Logging:Format=simple",
            "--Mobile:Idempotency:Retention=02:00:00", "--Mobile:Idempotency:PurgeInterval=00:00:00.200",
        ]);
    }

    [Fact]
    public async Task Keys_older_than_the_retention_are_purged_in_the_background_and_younger_ones_kept()
    {
        var now = DateTime.UtcNow;
        await using (var scope = _hub.Hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.AddRange(Row("old", now.AddHours(-3)), Row("young", now.AddHours(-1)));
            await db.SaveChangesAsync();
        }

        var left = await Eventually.Get(Keys, k => !k.Contains("old"), TimeSpan.FromSeconds(20), "old key purged");
        Assert.Contains("young", left);
    }

    private async Task<List<string>> Keys()
    {
        await using var scope = _hub.Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<IdempotentRequest>().Where(r => r.UserId == "u-retention")
            .Select(r => r.Key).ToListAsync();
    }

    private static IdempotentRequest Row(string key, DateTime createdAt) => new()
    {
        UserId = "u-retention", Route = "POST /api/v1/orders", Key = key, RequestHash = "h", Status = 201, CreatedAt = createdAt,
    };

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
