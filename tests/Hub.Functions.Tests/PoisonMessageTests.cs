using System.Collections.Concurrent;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Hub.Functions.Notifications;
using Hub.Functions.Tests.Support;
using Hub.Infrastructure;
using Hub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Tests;

/// <summary>
/// A delivery that fails every retry ends in the channel's error queue (<c>notifications-email_error</c>, the
/// counterpart of an Azure Functions <c>&lt;queue&gt;-poison</c>) with the exception in its headers, and the
/// notification is recorded as failed with the reason. An operator's retry from the error queue delivers it once the
/// mail server is back.
/// </summary>
public sealed class PoisonMessageTests
{
    [Fact]
    public async Task Email_failing_every_retry_lands_in_the_error_queue_with_the_reason_is_recorded_failed_and_an_operators_retry_delivers_it()
    {
        var closedPort = FreePort.Next();
        await using var host = await FunctionsHost.StartAsync(
        [
            "Smtp:Host=127.0.0.1",
            $"Smtp:Port={closedPort}",
            "Smtp:Timeout=00:00:05",
            // Every attempt reaches the server here: the breaker has its own test (ChannelCircuitTests).
            "Notifications:Channels:Email:BreakerMinimumThroughput=1000",
            "Hub:ImmediateRetries=1",
            "Hub:RedeliveryIntervals:0=00:00:00.5",
            "Hub:RedeliveryIntervals:1=00:00:01",
        ]);
        var intervals = host.App.Services.GetRequiredService<IOptions<HubOptions>>().Value.RedeliveryIntervals;
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)], intervals);

        var poisoned = new ConcurrentQueue<(DeliverEmail Message, Guid? MessageId, Dictionary<string, object> Headers)>();
        var errorQueue = host.App.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint($"{HubQueues.NotificationsEmail}_error",
            e => e.Handler<DeliverEmail>(ctx =>
            {
                poisoned.Enqueue((ctx.Message, ctx.MessageId, ctx.ReceiveContext.TransportHeaders.GetAll().Concat(ctx.Headers.GetAll())
                    .GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.First().Value)));
                return Task.CompletedTask;
            }));
        await errorQueue.Ready;

        var number = "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Publish(new OrderCompleted(Guid.NewGuid(), number, "C-POISON", "sales-li", "ERP-1", "CH-1", 10m, "poison@example.com",
            DateTimeOffset.UtcNow));

        var failed = await host.WaitForNotifications(number, n => n.Any(x => x.State == NotificationState.Failed), "notification recorded failed", 60);
        var notification = Assert.Single(failed);
        Assert.StartsWith("Gave up after the last retry: System.Net.Mail.SmtpException", notification.Error);
        Assert.Contains("System.Net.Sockets.SocketException: Connection refused", notification.Error);

        var (message, poisonedId, headers) = await Eventually.Get(() => Task.FromResult(poisoned.ToArray()), p => p.Length > 0, TimeSpan.FromSeconds(30),
            "message in the error queue").ContinueWith(t => t.Result.Single());
        Assert.Equal(notification.Id, message.NotificationId);
        // MassTransit names the innermost exception in the headers.
        Assert.Equal("System.Net.Sockets.SocketException", headers["MT-Fault-ExceptionType"]);
        Assert.Equal("Connection refused", headers["MT-Fault-Message"]);
        Assert.Equal("2", headers["MT-Redelivery-Count"]?.ToString());
    

        // The mail server comes back; operations retry the message from the error queue, as the ops view does.
        using var smtp = await SmtpServer.StartAsync(port: closedPort);
        var retry = await host.App.Services.GetRequiredService<IBus>().GetSendEndpoint(HubQueues.Address(HubQueues.NotificationsEmail));
        await retry.Send(message, ctx => ctx.MessageId = poisonedId);
        var sent = await host.WaitForNotifications(number, n => n.Single().State == NotificationState.Sent, "retried notification sent", 30);
        Assert.Null(sent.Single().Error);
        var mail = Assert.Single(smtp.To("poison@example.com"));
        Assert.Equal($"<{notification.Id:N}@crm-hub>", mail.Headers["Message-ID"]);
    }
}
