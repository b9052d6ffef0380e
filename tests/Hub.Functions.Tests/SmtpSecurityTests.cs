using System.Net;
using System.Net.Security;
using Crm.Contracts.Orders;
using Hub.Functions.Notifications;
using Hub.Functions.Tests.Support;
using Hub.Tests;
using Hub.TestSupport;
using Microsoft.Extensions.Logging;

// SmtpClient still validates server certificates through ServicePointManager; there is no per-client hook.
#pragma warning disable SYSLIB0014

namespace Hub.Functions.Tests;

/// <summary>
/// Email to a mail server that requires STARTTLS and AUTH (<c>Smtp:EnableSsl</c>, <c>Smtp:Username</c>,
/// <c>Smtp:Password</c>), and a mailbox the server refuses for good.
/// </summary>
public sealed class SmtpSecurityTests
{
    private static OrderCompleted Completed(string number, string email) =>
        new(Guid.NewGuid(), number, "C-TLS", "sales-li", "E", "C", 12m, email, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Mail_goes_over_starttls_with_auth_and_a_refused_mailbox_fails_at_once_with_the_reason()
    {
        using var smtp = await SmtpServer.StartAsync(user: "crm-hub", password: "s3cret!", startTls: true, refuse: "gone@example.com");
        // System.Net.Mail checks the server certificate with this process-wide callback; trust exactly the test server's.
        var thumbprint = smtp.Certificate!.Thumbprint;
        ServicePointManager.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || certificate?.GetCertHashString() == thumbprint;
        try
        {
            var logs = new CapturedLogs();
            await using var host = await FunctionsHost.StartAsync(
            [
                "Smtp:Host=127.0.0.1", $"Smtp:Port={smtp.Port}", "Smtp:EnableSsl=true", "Smtp:Username=crm-hub", "Smtp:Password=s3cret!",
            ], configure: b => b.Logging.AddProvider(logs));
            var number = "SO-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

            await host.Publish(Completed(number, "secure@example.com"));
            await host.Publish(Completed(number + "-X", "gone@example.com"));

            var mail = await Eventually.Get(() => Task.FromResult(smtp.To("secure@example.com")), m => m.Count == 1, TimeSpan.FromSeconds(30), "mail over TLS");
            Assert.Equal("yes", mail[0].Headers["X-Tls"]);
            Assert.Equal("crm-hub", mail[0].Headers["X-Authenticated-As"]);
            var refused = (await host.WaitForNotifications(number + "-X", n => n.Any(x => x.State == NotificationState.Failed), "refused mailbox")).Single();
            Assert.StartsWith("The mail server refused gone@example.com: 550", refused.Error);
            // The refusal is logged (at Warning), but the server's words naming the address stay on the sealed notification.
            Assert.Contains(logs.Lines, line => line.Contains("refused for good", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, line => line.Contains("gone@example.com", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            ServicePointManager.ServerCertificateValidationCallback = null;
        }
    }
}
