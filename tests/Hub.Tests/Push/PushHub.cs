using System.Net.Http.Json;
using Hub.Adapters.Identity;
using Hub.Adapters.Push;
using Hub.Embedded;
using Hub.Persistence;
using Hub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Push;

/// <summary>
/// An embedded hub whose FCM and APNs senders point at local shape-checking servers. One message at a time per
/// endpoint, so events published in a row are handled in that order (a later event's push proves an earlier one was
/// handled); short retries and redelivery so a provider outage is ridden out in seconds.
/// </summary>
public sealed class PushHub : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hub-push-" + Guid.NewGuid().ToString("N")[..8]);

    public EmbeddedHub Hub { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public FcmShapeServer Fcm { get; } = new(TimeProvider.System);
    public ApnsShapeServer Apns { get; } = new(TimeProvider.System);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        await Fcm.StartAsync();
        await Apns.StartAsync();
        Hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--Simulators:Urls=http://127.0.0.1:0",
            $"--Hub:SqlitePath={Path.Combine(_root, "hub.db")}",
            $"--Smtp:PickupDirectory={Path.Combine(_root, "mail")}",
            "--Hub:ConcurrentMessageLimit=1",
            "--Hub:ImmediateRetries=1",
            "--Hub:RedeliveryIntervals:0=00:00:01",
            "--Hub:RedeliveryIntervals:1=00:00:01",
            "--Logging:Format=simple",
            "--Push:Fcm:Resilience:MaxRetries=1", "--Push:Fcm:Resilience:RetryDelay=00:00:00.010", "--Push:Fcm:Resilience:MaxRetryAfter=00:00:01",
            "--Push:Apns:Resilience:MaxRetries=1", "--Push:Apns:Resilience:RetryDelay=00:00:00.010",
            .. Fcm.HubArgs,
            .. Apns.HubArgs,
        ]);
        BaseUrl = EmbeddedHub.AddressOf(Hub.Hub);
    }

    /// <summary>
    /// Creates a user (<paramref name="prefix"/> and a random suffix), signs in on a phone (a user has one bound device)
    /// and registers <paramref name="token"/> for <paramref name="platform"/>, as the app does once the platform gave it one.
    /// </summary>
    public async Task<MobileSession> PhoneAsync(string prefix, string platform, string token, string role = MobileRoles.Engineer)
    {
        var phone = await EmbeddedHubFixture.SignInAsync(Hub, BaseUrl, prefix + "-" + Guid.NewGuid().ToString("N")[..6], role);
        var response = await phone.Http.PutAsJsonAsync("/api/v1/devices/current/push-registration", new { platform, token });
        response.EnsureSuccessStatusCode();
        return phone;
    }

    /// <summary>
    /// Sets <paramref name="phone"/>'s first push preferences: <paramref name="mutedKinds"/> muted, and quiet hours around the present
    /// moment (UTC), so a non-urgent push now goes silently.
    /// </summary>
    public static async Task QuietNowAsync(MobileSession phone, params string[] mutedKinds)
    {
        var now = TimeOnly.FromDateTime(DateTime.UtcNow);
        var preferences = new HttpRequestMessage(HttpMethod.Put, "/api/v1/push/preferences")
        {
            Content = JsonContent.Create(new
            {
                mutedKinds, quietFrom = now.AddHours(-1).ToString("HH:mm"), quietTo = now.AddHours(1).ToString("HH:mm"), utcOffsetMinutes = 0,
            }),
        };
        preferences.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        (await phone.Http.SendAsync(preferences)).EnsureSuccessStatusCode();
    }

    /// <summary>Publishes <paramref name="message"/> on the hub's bus, as the service or order flows do.</summary>
    public Task PublishAsync<T>(T message) where T : class => Hub.Hub.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>Sends <paramref name="message"/> to <paramref name="queue"/>.</summary>
    public async Task SendAsync<T>(string queue, T message) where T : class =>
        await (await Hub.Hub.Services.GetRequiredService<IBus>().GetSendEndpoint(Infrastructure.HubQueues.Address(queue))).Send(message);

    /// <summary>The push deliveries recorded for <paramref name="userId"/>.</summary>
    public async Task<List<PushDelivery>> DeliveriesAsync(string userId)
    {
        await using var scope = Hub.Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<PushDelivery>().AsNoTracking()
            .Where(d => d.UserId == userId).ToListAsync();
    }

    /// <summary>The live-stream events recorded for <paramref name="userId"/>.</summary>
    public async Task<List<PushEvent>> EventsAsync(string userId)
    {
        await using var scope = Hub.Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<PushEvent>().AsNoTracking()
            .Where(e => e.UserId == userId).ToListAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Fcm.DisposeAsync();
        await Apns.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("push-hub")]
public sealed class PushHubCollection : ICollectionFixture<PushHub>;
