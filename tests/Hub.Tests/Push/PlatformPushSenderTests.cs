using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Hub.Adapters.Push;
using Hub.Adapters.Push.Platform;
using Hub.Functions.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Push;

/// <summary>The FCM and APNs senders against local servers that check the documented request shapes.</summary>
public sealed class PlatformPushSenderTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private FcmShapeServer _fcm = null!;
    private ApnsShapeServer _apns = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fcm = new FcmShapeServer(_clock);
        _apns = new ApnsShapeServer(_clock);
        await _fcm.StartAsync();
        await _apns.StartAsync();
        _services = Senders(_clock, [.. _fcm.HubArgs, .. _apns.HubArgs,
            "--Push:Fcm:Resilience:MaxRetries=1", "--Push:Fcm:Resilience:RetryDelay=00:00:00.010",
            "--Push:Apns:Resilience:MaxRetries=1", "--Push:Apns:Resilience:RetryDelay=00:00:00.010"]);
    }

    private IPlatformPushSender Fcm => _services.GetServices<IPlatformPushSender>().Single(s => s.Platform == "android");
    private IPlatformPushSender Apns => _services.GetServices<IPlatformPushSender>().Single(s => s.Platform == "ios");

    [Fact]
    public async Task Fcm_many_sends_share_one_access_token_from_one_signed_assertion()
    {
        var tokens = Enumerable.Range(0, 5).Select(i => $"fcm-token-{i}").ToArray();
        foreach (var token in tokens)
            Assert.Equal(PlatformPushOutcome.Accepted, await Fcm.SendAsync(Push(token), CancellationToken.None));

        Assert.Equal(1, _fcm.TokenRequests);
        Assert.Empty(_fcm.Refusals);
        var message = _fcm.For(tokens[0]).Single().Body.GetProperty("message");
        Assert.Equal("Service ticket T-1 assigned to you", message.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("T-1", message.GetProperty("data").GetProperty("ticketNumber").GetString());
        Assert.Equal("high", message.GetProperty("android").GetProperty("priority").GetString());
    }

    [Fact]
    public async Task Fcm_access_token_is_fetched_again_only_shortly_before_it_expires()
    {
        await Fcm.SendAsync(Push("fcm-a"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(50));
        await Fcm.SendAsync(Push("fcm-b"), CancellationToken.None);
        Assert.Equal(1, _fcm.TokenRequests);

        // Granted for 3599 s and renewed 5 minutes before: at 56 minutes a new one is due.
        _clock.Advance(TimeSpan.FromMinutes(6));
        await Fcm.SendAsync(Push("fcm-c"), CancellationToken.None);
        Assert.Equal(2, _fcm.TokenRequests);
        Assert.Empty(_fcm.Refusals);
    }

    [Fact]
    public async Task Fcm_unregistered_and_invalid_registration_tokens_are_reported_gone_other_refusals_are_errors()
    {
        _fcm.FailNext("fcm-uninstalled", 1, 404, FcmShapeServer.UnregisteredBody);
        _fcm.FailNext("fcm-garbage", 1, 400, FcmShapeServer.BadTokenBody);
        _fcm.FailNext("fcm-other", 1, 400, """{"error":{"code":400,"message":"Invalid JSON payload received.","status":"INVALID_ARGUMENT"}}""");

        Assert.Equal(PlatformPushOutcome.TokenGone, await Fcm.SendAsync(Push("fcm-uninstalled"), CancellationToken.None));
        Assert.Equal(PlatformPushOutcome.TokenGone, await Fcm.SendAsync(Push("fcm-garbage"), CancellationToken.None));
        // A malformed message is our fault, not the token's: the token stays.
        await Assert.ThrowsAsync<PlatformPushRejectedException>(() => Fcm.SendAsync(Push("fcm-other"), CancellationToken.None));
    }

    [Fact]
    public async Task Fcm_503_is_retried_after_the_retry_after_pause_and_persistent_throttling_goes_back_to_the_bus()
    {
        _fcm.FailNext("fcm-busy", 1, 503, FcmShapeServer.UnavailableBody, TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();
        Assert.Equal(PlatformPushOutcome.Accepted, await Fcm.SendAsync(Push("fcm-busy"), CancellationToken.None));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {watch.Elapsed}, before the Retry-After of 1 s");
        Assert.Equal(2, _fcm.Attempts["fcm-busy"]);
        Assert.Single(_fcm.For("fcm-busy"));

        _fcm.FailNext("fcm-throttled", 3, 429, """{"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED"}}""", TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<PlatformPushUnavailableException>(() => Fcm.SendAsync(Push("fcm-throttled"), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Equal(2, _fcm.Attempts["fcm-throttled"]);
    }

    [Fact]
    public async Task Fcm_silent_push_is_data_only_at_normal_priority()
    {
        await Fcm.SendAsync(Push("fcm-quiet") with { Silent = true }, CancellationToken.None);
        var message = _fcm.For("fcm-quiet").Single().Body.GetProperty("message");
        Assert.False(message.TryGetProperty("notification", out _));
        Assert.Equal("normal", message.GetProperty("android").GetProperty("priority").GetString());
        Assert.Equal("ticket.assigned", message.GetProperty("data").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Apns_provider_token_is_reused_and_signed_again_after_fifty_minutes()
    {
        var device = ApnsShapeServer.NewDeviceToken();
        for (var i = 0; i < 3; i++)
            Assert.Equal(PlatformPushOutcome.Accepted, await Apns.SendAsync(Push(device), CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(30));
        await Apns.SendAsync(Push(device), CancellationToken.None);
        Assert.Single(_apns.ProviderTokens);

        _clock.Advance(TimeSpan.FromMinutes(21));
        await Apns.SendAsync(Push(device), CancellationToken.None);
        Assert.Equal(2, _apns.ProviderTokens.Count);
        Assert.Empty(_apns.Refusals);

        var sent = _apns.For(device).Last();
        Assert.Equal("alert", sent.Headers["apns-push-type"]);
        Assert.Equal("10", sent.Headers["apns-priority"]);
        Assert.Equal(ApnsShapeServer.BundleId, sent.Headers["apns-topic"]);
        Assert.Equal("Service ticket T-1 assigned to you", sent.Body.GetProperty("aps").GetProperty("alert").GetProperty("title").GetString());
        Assert.Equal("T-1", sent.Body.GetProperty("ticketNumber").GetString());
    }

    [Fact]
    public async Task Apns_410_unregistered_and_400_bad_device_token_are_reported_gone_other_refusals_are_errors()
    {
        var uninstalled = ApnsShapeServer.NewDeviceToken();
        var garbage = ApnsShapeServer.NewDeviceToken();
        var other = ApnsShapeServer.NewDeviceToken();
        _apns.FailNext(uninstalled, 1, 410, ApnsShapeServer.UnregisteredBody);
        _apns.FailNext(garbage, 1, 400, ApnsShapeServer.BadDeviceTokenBody);
        _apns.FailNext(other, 1, 400, """{"reason":"PayloadEmpty"}""");

        Assert.Equal(PlatformPushOutcome.TokenGone, await Apns.SendAsync(Push(uninstalled), CancellationToken.None));
        Assert.Equal(PlatformPushOutcome.TokenGone, await Apns.SendAsync(Push(garbage), CancellationToken.None));
        await Assert.ThrowsAsync<PlatformPushRejectedException>(() => Apns.SendAsync(Push(other), CancellationToken.None));
    }

    [Fact]
    public async Task Apns_503_is_retried_and_a_silent_push_goes_as_background_at_priority_5()
    {
        var device = ApnsShapeServer.NewDeviceToken();
        _apns.FailNext(device, 1, 503, ApnsShapeServer.UnavailableBody);
        Assert.Equal(PlatformPushOutcome.Accepted, await Apns.SendAsync(Push(device) with { Silent = true }, CancellationToken.None));
        Assert.Equal(2, _apns.Attempts[device]);
        var sent = _apns.For(device).Single();
        Assert.Equal("background", sent.Headers["apns-push-type"]);
        Assert.Equal("5", sent.Headers["apns-priority"]);
        Assert.Equal(1, sent.Body.GetProperty("aps").GetProperty("content-available").GetInt32());
    }

    [Fact]
    public async Task Shape_servers_refuse_requests_off_the_documented_shape()
    {
        // FCM: a number as a data value, and a send without a granted token.
        var accessToken = await _services.GetRequiredService<FcmAccessTokens>().GetAsync(CancellationToken.None);
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"{_fcm.Url}/v1/projects/{FcmShapeServer.ProjectId}/messages:send")
        {
            Content = JsonContent.Create(new { message = new { token = "t", data = new { count = 3 } } }),
        };
        request.Headers.Authorization = new("Bearer", accessToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync($"{_fcm.Url}/v1/projects/{FcmShapeServer.ProjectId}/messages:send",
            new { message = new { token = "t" } })).StatusCode);

        // APNs: a provider token signed by another key is refused, and so is HTTP/1.1.
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var forged = new ApnsProviderToken(Options.Create(new ApnsOptions { TeamId = ApnsShapeServer.TeamId, KeyId = ApnsShapeServer.KeyId,
            PrivateKey = stranger.ExportPkcs8PrivateKeyPem() }), _clock).Current();
        var apnsRequest = new HttpRequestMessage(HttpMethod.Post, $"{_apns.Url}/3/device/{ApnsShapeServer.NewDeviceToken()}")
        {
            Content = JsonContent.Create(new { aps = new { alert = new { title = "t", body = "b" } } }),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        apnsRequest.Headers.TryAddWithoutValidation("authorization", "bearer " + forged);
        apnsRequest.Headers.Add("apns-topic", ApnsShapeServer.BundleId);
        apnsRequest.Headers.Add("apns-push-type", "alert");
        apnsRequest.Headers.Add("apns-priority", "10");
        var refused = await h2.SendAsync(apnsRequest);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("signature", await refused.Content.ReadAsStringAsync());
        using var h1 = new HttpClient();
        Assert.Equal(HttpStatusCode.BadRequest,
            (await h1.PostAsJsonAsync($"{_apns.Url}/3/device/{ApnsShapeServer.NewDeviceToken()}", new { aps = new { } })).StatusCode);
        Assert.Empty(_apns.Accepted);
    }

    [Fact]
    public void Incomplete_push_settings_stop_the_start_saying_what_is_missing()
    {
        using var services = Senders(_clock, ["--Push:Fcm:ProjectId=p", "--Push:Apns:BundleId=com.example", "--Push:Apns:TeamId=short",
            "--Push:Apns:KeyId=KEY7890ABC", $"--Push:Apns:PrivateKey={_fcm.PrivateKeyPem}"]);
        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        var messages = string.Join("\n", error.InnerExceptions.OfType<OptionsValidationException>().Select(e => e.Message));
        Assert.Contains("Push:Fcm:ClientEmail", messages);
        Assert.Contains("Push:Fcm:PrivateKey", messages);
        Assert.Contains("Push:Apns:TeamId", messages);
        // An RSA key where APNs needs its P-256 .p8 key.
        Assert.Contains("Push:Apns:PrivateKey", messages);

        // Without the settings the channel is simply off.
        using var off = Senders(_clock, []);
        off.GetRequiredService<IStartupValidator>().Validate();
        Assert.Empty(off.GetServices<IPlatformPushSender>());
    }

    internal static PlatformPush Push(string token) => new(token, "Service ticket T-1 assigned to you", "Customer C-1.",
        new Dictionary<string, string> { ["kind"] = "ticket.assigned", ["ticketNumber"] = "T-1" }, false, "ticket.assigned:1", Guid.NewGuid(), TimeSpan.FromHours(1));

    private static ServiceProvider Senders(TimeProvider clock, string[] args)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddPush(new ConfigurationBuilder().AddCommandLine(args).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fcm.DisposeAsync();
        await _apns.DisposeAsync();
    }
}
