using System.Net.Http.Json;
using Hub.Functions.Tests.Support;

namespace Hub.Functions.Tests;

/// <summary>
/// The functions host wired to real peers: an aiosmtpd SMTP server and a Kannel gateway (bearerbox, smsbox, fakesmsc)
/// calling back into the host for delivery reports and replies. Email is paced at 2 per second so campaigns show it.
/// The store is PostgreSQL when <c>HUB_TEST_POSTGRES</c> names a server (as the README's test command does), else SQLite.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public const string DlrSecret = "dlr-secret-for-the-tests";
    public const string InboundKey = "inbound-key-for-the-tests";

    public FunctionsHost Host { get; private set; } = null!;
    public SmtpServer Smtp { get; private set; } = null!;
    public KannelGateway Kannel { get; private set; } = null!;

    public Task InitializeAsync() => Start(TestDatabase.PostgresServer is not null);

    /// <summary>
    /// Starts the peers and the host on PostgreSQL (<paramref name="postgres"/>) or SQLite, with <paramref name="settings"/>
    /// added and <paramref name="configure"/> applied to the host (a log capture).
    /// </summary>
    public async Task Start(bool postgres, IEnumerable<string>? settings = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var port = FreePort.Next();
        var hubUrl = $"http://127.0.0.1:{port}";
        Smtp = await SmtpServer.StartAsync();
        Kannel = await KannelGateway.StartAsync($"{hubUrl}/webhooks/sms/kannel/inbound?key={InboundKey}");
        Host = await FunctionsHost.StartAsync(
        [
            "Smtp:Host=127.0.0.1",
            $"Smtp:Port={Smtp.Port}",
            $"Sms:Kannel:BaseUrl={Kannel.SendSmsUrl}",
            $"Sms:Kannel:Username={KannelGateway.Username}",
            $"Sms:Kannel:Password={KannelGateway.Password}",
            $"Sms:Kannel:From={KannelGateway.ServiceNumber}",
            $"Sms:Kannel:DlrUrl={hubUrl}",
            $"Sms:Kannel:DlrSecret={DlrSecret}",
            $"Sms:Kannel:InboundKey={InboundKey}",
            $"Notifications:PublicBaseUrl={hubUrl}",
            "Notifications:Channels:Email:MessagesPerSecond=2",
            .. settings ?? [],
        ], port, postgres: postgres, configure: configure);
    }

    /// <summary>Registers a recipient through the API.</summary>
    public async Task Register(string key, object body)
    {
        using var http = Host.Http();
        var response = await http.PutAsJsonAsync($"/api/notifications/recipients/{key}", body);
        Assert.True(response.IsSuccessStatusCode, $"registering {key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A mobile number nobody else in the tests uses.</summary>
    public static string NewPhone() => "139" + Random.Shared.Next(10000000, 99999999);

    public async Task DisposeAsync()
    {
        if (Host is not null)
            await Host.DisposeAsync();
        Kannel?.Dispose();
        Smtp?.Dispose();
    }
}

[CollectionDefinition("notifications")]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>;
