using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hub.Persistence;

/// <summary>
/// The hub's durable message scheduler (stands in for MassTransit.Quartz). Wire it with
/// <c>x.AddHubScheduler(); x.AddMessageScheduler(HubScheduler.Address);</c> and, on the bus,
/// <c>cfg.UseMessageScheduler(HubScheduler.Address);</c>: state-machine <c>Schedule</c>/<c>Unschedule</c>,
/// <c>ScheduleSend</c> and scheduled redelivery then go through <c>hub_scheduled_message</c>.
/// </summary>
public static class HubScheduler
{
    /// <summary>The scheduler's receive endpoint (queue) name.</summary>
    public const string EndpointName = "hub-scheduler";

    /// <summary>The scheduler's address, <c>queue:hub-scheduler</c>.</summary>
    public static readonly Uri Address = new("queue:" + EndpointName);

    /// <summary>
    /// Adds <see cref="HubSchedulerConsumer"/> (ScheduleMessage / CancelScheduledMessage) on endpoint
    /// <see cref="EndpointName"/> and the <see cref="HubSchedulerDeliveryService"/>. Requires <c>AddHubStore</c>.
    /// Recurring schedules (<c>ScheduleRecurringMessage</c>) are not supported.
    /// </summary>
    public static IBusRegistrationConfigurator AddHubScheduler(this IBusRegistrationConfigurator configurator,
        Action<HubSchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        configurator.AddConsumer<HubSchedulerConsumer>().Endpoint(e => e.Name = EndpointName);
        configurator.AddOptions<HubSchedulerOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.ClaimDuration > TimeSpan.Zero && o.BatchSize > 0,
                "HubSchedulerOptions: PollInterval and ClaimDuration must be positive and BatchSize above zero.");
        configurator.AddHostedService<HubSchedulerDeliveryService>();
        return configurator;
    }
}

/// <summary>Timings of the scheduler (<c>AddHubScheduler(o =&gt; ...)</c>).</summary>
public sealed class HubSchedulerOptions
{
    /// <summary>How often due messages are looked for; the delivery precision. Default 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed row stays reserved for the instance sending it. Default 1 minute.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows claimed per poll. Default 100.</summary>
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Stores <see cref="ScheduleMessage"/> as a <c>hub_scheduled_message</c> row (keyed by its token,
/// <c>CorrelationId</c>; scheduling the same token again replaces it) and deletes it on <see cref="CancelScheduledMessage"/>.
/// The payload (a JSON element with System.Text.Json) is stored as a message body whose message types are
/// <c>PayloadType</c>, with the schedule command's message id, ids, addresses and headers, as MassTransit.Quartz does.
/// </summary>
public sealed class HubSchedulerConsumer(HubDbContext db) : IConsumer<ScheduleMessage>, IConsumer<CancelScheduledMessage>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var command = context.Message;
        if (command.Destination is null)
            throw new ArgumentException($"ScheduleMessage {command.CorrelationId} has no Destination.");

        var serializer = context.SerializerContext.GetMessageSerializer(command.Payload, command.PayloadType);
        var send = new MessageSendContext<ScheduleMessage>(command, context.CancellationToken)
        {
            MessageId = context.MessageId ?? NewId.NextGuid(),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = command.Destination,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
        };
        foreach (var header in context.Headers.GetAll())
            send.Headers.Set(header.Key, header.Value);
        // The state machine matches a Schedule(...) timeout to its instance by this header.
        send.Headers.Set(MessageHeaders.SchedulingTokenId, command.CorrelationId.ToString("N"));

        var now = DateTime.UtcNow;
        var row = await db.ScheduledMessages.FindAsync([command.CorrelationId], context.CancellationToken);
        if (row is null)
        {
            row = new HubScheduledMessage { TokenId = command.CorrelationId };
            db.ScheduledMessages.Add(row);
        }
        row.ScheduledTime = UtcTime.From(command.ScheduledTime)!.Value;
        row.MessageId = send.MessageId.Value;
        row.ConversationId = send.ConversationId;
        row.CorrelationId = send.CorrelationId;
        row.InitiatorId = send.InitiatorId;
        row.RequestId = send.RequestId;
        row.SourceAddress = send.SourceAddress;
        row.DestinationAddress = command.Destination;
        row.ResponseAddress = send.ResponseAddress;
        row.FaultAddress = send.FaultAddress;
        row.SentTime = UtcTime.From(context.SentTime) ?? now;
        row.ExpirationTime = UtcTime.From(context.ExpirationTime);
        row.ContentType = serializer.ContentType.ToString();
        row.MessageType = string.Join(";", command.PayloadType);
        row.Body = serializer.GetMessageBody(send).GetString();
        row.Headers = context.SerializerContext.SerializeDictionary(send.Headers.GetAll());
        row.Properties = null;
        row.CreatedAt = now;
        row.LockId = null;
        row.LockedUntil = null;
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<CancelScheduledMessage> context) =>
        db.ScheduledMessages.Where(m => m.TokenId == context.Message.TokenId).ExecuteDeleteAsync(context.CancellationToken);
}

/// <summary>
/// Sends due scheduled messages to their destination every <see cref="HubSchedulerOptions.PollInterval"/>, then
/// deletes them. Rows live in the database, so schedules survive restarts; several instances may run (a row is
/// claimed by one conditional UPDATE before it is sent).
/// </summary>
public sealed class HubSchedulerDeliveryService(
    IServiceScopeFactory scopes, IBus bus, IOptions<HubSchedulerOptions> options, ILogger<HubSchedulerDeliveryService> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    /// <summary>Claims and sends one batch of due messages; returns how many were claimed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var now = DateTime.UtcNow;
        var lockId = NewId.NextGuid();

        var due = await db.ScheduledMessages.AsNoTracking()
            .Where(m => m.ScheduledTime <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.ScheduledTime)
            .Select(m => m.TokenId)
            .Take(o.BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
            return 0;
        await db.ScheduledMessages
            .Where(m => due.Contains(m.TokenId) && m.ScheduledTime <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockId, lockId).SetProperty(m => m.LockedUntil, now + o.ClaimDuration), cancellationToken);
        var claimed = await db.ScheduledMessages.AsNoTracking()
            .Where(m => m.LockId == lockId)
            .OrderBy(m => m.ScheduledTime)
            .ToListAsync(cancellationToken);

        foreach (var row in claimed)
        {
            try
            {
                await StoredMessageSender.Send(bus, row, logger, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Scheduled message {TokenId} to {Destination} could not be sent; will retry", row.TokenId, row.DestinationAddress);
                continue;
            }
            // Only the claimant deletes; a reschedule of the same token meanwhile cleared the claim and survives.
            await db.ScheduledMessages.Where(m => m.TokenId == row.TokenId && m.LockId == lockId).ExecuteDeleteAsync(cancellationToken);
        }
        return claimed.Count;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(lifetime, options.Value.PollInterval, DeliverDueAsync, logger, "scheduled message delivery", stoppingToken);
}
