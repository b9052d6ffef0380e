using Hub.Functions.Notifications;
using Hub.Infrastructure.Monitoring;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;

namespace Hub.Functions.Tests;

/// <summary>The per-provider breakers of the notification channels.</summary>
public sealed class ChannelCircuitTests
{
    [Fact]
    public async Task A_dead_provider_opens_its_channels_circuit_and_refusals_do_not_count()
    {
        var circuits = new PartnerCircuits(TimeProvider.System, NullLogger<PartnerCircuits>.Instance);
        var channels = new ChannelCircuits(circuits, Microsoft.Extensions.Options.Options.Create(new NotificationsOptions()));
        var calls = 0;

        for (var i = 0; i < 10; i++)
            await Assert.ThrowsAsync<NotificationRejectedException>(() => channels.SendAsync(NotificationChannel.Sms,
                _ => { calls++; throw new NotificationRejectedException("400 refused"); }, CancellationToken.None).AsTask());
        Assert.Equal(10, calls);
        Assert.Equal(PartnerCircuits.Closed, circuits.Snapshot().Single(c => c.Partner == "sms-gateway").State);

        calls = 0;
        for (var i = 0; i < 5; i++)
            await Assert.ThrowsAsync<IOException>(() => channels.SendAsync(NotificationChannel.Email,
                _ => { calls++; throw new IOException("connection refused"); }, CancellationToken.None).AsTask());
        var smtp = circuits.Snapshot().Single(c => c.Partner == "smtp");
        Assert.Equal(PartnerCircuits.Open, smtp.State);
        Assert.Equal("connection refused", smtp.Reason);

        // Open: the next send fails at once, without touching the server, saying why; the bus redelivers it later.
        var open = await Assert.ThrowsAsync<ChannelUnavailableException>(() => channels.SendAsync(NotificationChannel.Email,
            _ => { calls++; return ValueTask.CompletedTask; }, CancellationToken.None).AsTask());
        Assert.Contains("smtp circuit is open", open.Message);
        Assert.Contains("connection refused", open.Message);
        Assert.IsType<BrokenCircuitException>(open.InnerException);
        Assert.Equal(5, calls);
        Assert.Equal(PartnerCircuits.Closed, circuits.Snapshot().Single(c => c.Partner == "sms-gateway").State);
    }
}
