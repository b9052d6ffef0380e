using Hub.Persistence.Tests.Contracts;
using Hub.Persistence.Tests.Infrastructure;
using Hub.Persistence.Tests.Model;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Persistence.Tests;

/// <summary>The behaviours, each run on SQLite and (when configured) PostgreSQL by the test classes.</summary>
public static class Scenarios
{
    // ---- schema migrations ----

    public static async Task Migrations_apply_once_and_rerun_is_a_no_op(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var services = StoreServices(database, new TestStoreModel());
        var migrator = services.GetRequiredService<HubSchemaMigrator>();

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(["history/1", "hub/1", "hub/2", "test/1", "test/2"], first.Select(m => $"{m.Module}/{m.Version}").Order());
        Assert.Empty(second);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.Equal(5, await db.SchemaVersions.CountAsync());
        // The schema is usable through the composed model.
        db.Set<TestRecord>().Add(new TestRecord { Id = Guid.NewGuid(), Key = "k" });
        db.InboxStates.Add(new HubInboxState { MessageId = Guid.NewGuid(), ConsumerId = Guid.NewGuid(), Received = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    public static async Task New_module_version_is_applied_on_next_start(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using (var v1 = StoreServices(database, new TestStoreModel()))
            await v1.GetRequiredService<HubSchemaMigrator>().MigrateAsync();

        var extended = new ExtendedTestStoreModel();
        await using var v2 = StoreServices(database, extended);
        var applied = await v2.GetRequiredService<HubSchemaMigrator>().MigrateAsync();

        Assert.Equal(["test/3"], applied.Select(m => $"{m.Module}/{m.Version}"));
        await using var scope = v2.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var names = await db.SchemaVersions.Where(v => v.Module == "test").OrderBy(v => v.Version).Select(v => v.Name).ToListAsync();
        Assert.Equal(3, names.Count);
        Assert.Equal("add test_record.note", names[2]);
        await db.Database.ExecuteSqlRawAsync("INSERT INTO test_record (\"Id\", \"Key\", \"Attempt\", \"Note\") VALUES ('6f1c4c4e-8a6e-4c55-8f3a-0e4f3a1b2c3d', 'k', 0, 'n')");
    }

    public static async Task Concurrent_migrators_apply_each_migration_once(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var providers = Enumerable.Range(0, 3).Select(_ => StoreServices(database, new TestStoreModel())).ToArray();
        try
        {
            var results = await Task.WhenAll(providers.Select(p => Task.Run(() => p.GetRequiredService<HubSchemaMigrator>().MigrateAsync())));

            var applied = results.SelectMany(r => r).Select(m => $"{m.Module}/{m.Version}").Order().ToArray();
            Assert.Equal(["history/1", "hub/1", "hub/2", "test/1", "test/2"], applied);
            await using var scope = providers[0].CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            Assert.Equal(5, await db.SchemaVersions.CountAsync());
        }
        finally
        {
            foreach (var p in providers)
                await p.DisposeAsync();
        }
    }

    // ---- saga repository ----

    public static async Task Saga_persists_across_host_restart(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var id = Guid.NewGuid();
        await using (var first = await TestHub.Start(database))
        {
            await first.Send("counter-state", new CounterStarted(id));
            await Eventually.Get(() => first.Counter(id), s => s?.Count == 1, "saga created in the first host");
            await first.Send("counter-state", new CounterIncremented(id));
            await Eventually.Get(() => first.Counter(id), s => s?.Count == 2, "count 2 in the first host");
        }

        await using var second = await TestHub.Start(database);
        var before = await second.Counter(id);
        Assert.Equal(("Active", 2, 2), (before!.CurrentState, before.Count, before.Version));
        await second.Send("counter-state", new CounterIncremented(id));
        var after = await Eventually.Get(() => second.Counter(id), s => s?.Count == 3, "count 3 after restart");
        Assert.Equal(3, after!.Version);
    }

    public static async Task Saga_update_conflict_is_retried_and_both_events_apply(StoreKind kind, bool outbox)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database, new TestHubOptions { Outbox = outbox });
        var id = Guid.NewGuid();
        await hub.Send("counter-state", new CounterStarted(id));
        await Eventually.Get(() => hub.Counter(id), s => s?.Count == 1, "saga created");

        var gate = Guid.NewGuid().ToString();
        await Task.WhenAll(
            hub.Send("counter-state", new CounterIncremented(id, gate)),
            hub.Send("counter-state", new CounterIncremented(id, gate)));

        var state = await Eventually.Get(() => hub.Counter(id), s => s?.Count == 3, "both increments applied");
        Assert.Equal(3, state!.Version);
        Assert.True(Gates.Retried(gate) >= 1, "one of the two updates should have lost and been retried");
        if (outbox)
        {
            // The losing attempt's CounterChanged was rolled back with its saga write: one event per applied change.
            await Eventually.True(() => CounterChangedConsumer.CountsFor(id).Length >= 3, "three CounterChanged");
            await WaitUntilInboxSettled(hub, expected: 3);
            Assert.Equal([1, 2, 3], CounterChangedConsumer.CountsFor(id));
        }
    }

    public static async Task Saga_concurrent_creation_loser_retries_and_finds_the_instance(StoreKind kind, bool outbox)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database, new TestHubOptions { Outbox = outbox });
        var id = Guid.NewGuid();
        var gate = Guid.NewGuid().ToString();

        await Task.WhenAll(
            hub.Send("counter-state", new CounterStarted(id, Gate: gate)),
            hub.Send("counter-state", new CounterStarted(id, Gate: gate)));

        var state = await Eventually.Get(() => hub.Counter(id), s => s?.Count == 2, "both starts applied to one instance");
        Assert.Equal(("Active", 2), (state!.CurrentState, state.Version));
        Assert.True(Gates.Retried(gate) >= 1, "the second insert should have failed and been retried");
    }

    // ---- inbox / outbox ----

    public static async Task Inbox_drops_a_redelivered_message_and_the_side_effect_happens_once(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var key = Guid.NewGuid().ToString();
        var messageId = NewId.NextGuid();

        await hub.Send("record-thing", new RecordThing(key), messageId);
        await Eventually.True(() => ThingRecordedConsumer.For(key).Length == 1, "first delivery's event");
        await hub.Send("record-thing", new RecordThing(key), messageId);

        var consumerState = await Eventually.Get(
            () => hub.Db(db => db.InboxStates.AsNoTracking().Where(s => s.MessageId == messageId).ToListAsync()),
            rows => rows.Count == 1 && rows[0].ReceiveCount == 2 && rows[0].Delivered != null, "second delivery handled");
        Assert.NotNull(consumerState[0].Consumed);
        Assert.Equal(1, await hub.Db(db => db.Set<TestRecord>().CountAsync(r => r.Key == key)));
        Assert.Single(ThingRecordedConsumer.For(key));
    }

    public static async Task Outbox_discards_messages_of_a_failed_attempt_and_sends_after_commit(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var key = Guid.NewGuid().ToString();
        var messageId = NewId.NextGuid();

        await hub.Send("record-thing", new RecordThing(key, FailAttempts: 1), messageId);

        await Eventually.True(() => ThingRecordedConsumer.For(key).Length >= 1, "the event of the successful attempt");
        await Eventually.True(() => hub.Db(db => db.InboxStates.AnyAsync(s => s.MessageId == messageId && s.Delivered != null)), "outbox delivered");
        var observed = Assert.Single(ThingRecordedConsumer.For(key));
        Assert.Equal(1, observed.Attempt); // attempt 0 published, then threw: its event never left the outbox
        Assert.True(observed.RecordVisible, "the event must be sent only after the consumer's transaction committed");
        var records = await hub.Db(db => db.Set<TestRecord>().Where(r => r.Key == key).ToListAsync());
        Assert.Equal(1, Assert.Single(records).Attempt);
        Assert.Equal(0, await hub.Db(db => db.OutboxMessages.CountAsync(m => m.InboxMessageId == messageId)));
    }

    public static async Task Outbox_sends_nothing_when_the_consumer_keeps_failing(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var key = Guid.NewGuid().ToString();

        await hub.Send("record-thing", new RecordThing(key, FailAttempts: 100));

        await Eventually.True(() => RecordThingFaultConsumer.Faulted.Contains(key), "the fault after all retries", TimeSpan.FromSeconds(20));
        Assert.Empty(ThingRecordedConsumer.For(key));
        Assert.Equal(0, await hub.Db(db => db.Set<TestRecord>().CountAsync(r => r.Key == key)));
        Assert.Equal(0, await hub.Db(db => db.OutboxMessages.CountAsync()));
    }

    public static async Task Sweeper_delivers_rows_left_undelivered_by_a_crash(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var key = Guid.NewGuid().ToString();
        var inboxMessageId = NewId.NextGuid();
        var consumerId = NewId.NextGuid();
        var row = LeftOverRow(key, inboxMessageId, consumerId);
        // As a crash leaves it: consumed and committed, outbox row written, never sent.
        await hub.Db(async db =>
        {
            db.InboxStates.Add(new HubInboxState
            {
                MessageId = inboxMessageId, ConsumerId = consumerId, Received = row.CreatedAt, Consumed = row.CreatedAt, ReceiveCount = 1,
            });
            db.OutboxMessages.Add(row);
            return await db.SaveChangesAsync();
        });

        var observed = await Eventually.Get(() => ThingRecordedConsumer.For(key), o => o.Length == 1, "the swept message");
        Assert.Equal(row.MessageId, observed[0].MessageId); // same id: downstream inboxes deduplicate
        await Eventually.True(async () => !await hub.Db(db => db.OutboxMessages.AnyAsync()), "row deleted");
        var state = await hub.Db(db => db.InboxStates.AsNoTracking().SingleAsync(s => s.MessageId == inboxMessageId));
        Assert.NotNull(state.Delivered); // deleted and marked delivered in one transaction
    }

    public static async Task Two_sweepers_deliver_each_left_over_row_once(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var small = new TestHubOptions { InboxOutbox = o => o.BatchSize = 3 };
        await using var first = await TestHub.Start(database, small);
        await using var second = await TestHub.Start(database, small);
        var keys = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid().ToString()).ToArray();
        await first.Db(db =>
        {
            db.OutboxMessages.AddRange(keys.Select(k => LeftOverRow(k, null, null)));
            return db.SaveChangesAsync();
        });

        await Eventually.True(() => keys.All(k => ThingRecordedConsumer.For(k).Length >= 1), "all rows delivered");
        await Eventually.True(async () => await first.Db(db => db.OutboxMessages.CountAsync()) == 0, "all rows deleted");
        Assert.All(keys, k => Assert.Single(ThingRecordedConsumer.For(k)));
    }

    public static async Task Inbox_cleanup_removes_rows_older_than_the_retention(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database, new TestHubOptions { InboxOutbox = o => o.InboxRetention = TimeSpan.FromHours(1) });
        var now = DateTime.UtcNow;
        HubInboxState Row(DateTime? delivered) => new()
        {
            MessageId = Guid.NewGuid(), ConsumerId = Guid.NewGuid(), Received = now.AddDays(-2), Consumed = delivered, Delivered = delivered,
        };
        var old = Row(now.AddHours(-2));
        var recent = Row(now.AddMinutes(-5));
        var pending = Row(null);
        await hub.Db(db =>
        {
            db.InboxStates.AddRange(old, recent, pending);
            return db.SaveChangesAsync();
        });

        var cleanup = hub.Services.GetServices<IHostedService>().OfType<HubInboxCleanupService>().Single();
        Assert.Equal(1, await cleanup.CleanupAsync());

        var left = await hub.Db(db => db.InboxStates.Select(s => s.MessageId).ToListAsync());
        Assert.Equal(new[] { recent.MessageId, pending.MessageId }.Order(), left.Order());
    }

    // ---- scheduler ----

    public static async Task Scheduled_message_is_delivered_after_its_time(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var key = Guid.NewGuid().ToString();
        var due = DateTime.UtcNow.AddSeconds(1);

        var scheduled = await hub.Services.GetRequiredService<IMessageScheduler>()
            .ScheduleSend(new Uri("queue:thing-recorded"), due, new ThingRecorded(key, 42));

        var observed = await Eventually.Get(() => ThingRecordedConsumer.For(key), o => o.Length == 1, "the scheduled message");
        Assert.Equal(42, observed[0].Attempt);
        Assert.True(observed[0].ReceivedAt >= due.AddMilliseconds(-20), $"delivered at {observed[0].ReceivedAt:O}, due {due:O}");
        await Eventually.True(async () => !await hub.Db(db => db.ScheduledMessages.AnyAsync(m => m.TokenId == scheduled.TokenId)), "row removed after sending");
    }

    public static async Task Cancelled_scheduled_message_is_removed(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var scheduler = hub.Services.GetRequiredService<IMessageScheduler>();
        var destination = new Uri("queue:thing-recorded");

        var scheduled = await scheduler.ScheduleSend(destination, DateTime.UtcNow.AddHours(1), new ThingRecorded(Guid.NewGuid().ToString(), 0));
        await Eventually.True(() => hub.Db(db => db.ScheduledMessages.AnyAsync(m => m.TokenId == scheduled.TokenId)), "schedule stored");
        await scheduler.CancelScheduledSend(destination, scheduled.TokenId);

        await Eventually.True(async () => !await hub.Db(db => db.ScheduledMessages.AnyAsync(m => m.TokenId == scheduled.TokenId)), "schedule removed");
    }

    public static async Task Scheduled_message_survives_a_host_restart(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var key = Guid.NewGuid().ToString();
        Guid token;
        await using (var first = await TestHub.Start(database))
        {
            var scheduled = await first.Services.GetRequiredService<IMessageScheduler>()
                .ScheduleSend(new Uri("queue:thing-recorded"), DateTime.UtcNow.AddSeconds(3), new ThingRecorded(key, 1));
            token = scheduled.TokenId;
            await Eventually.True(() => first.Db(db => db.ScheduledMessages.AnyAsync(m => m.TokenId == token)), "schedule stored");
        }
        Assert.Empty(ThingRecordedConsumer.For(key));

        await using var second = await TestHub.Start(database);
        await Eventually.True(() => ThingRecordedConsumer.For(key).Length == 1, "delivered by the restarted host");
    }

    public static async Task Scheduled_redelivery_brings_a_failed_message_back(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var key = Guid.NewGuid().ToString();

        await hub.Send("flaky-thing", new FlakyThing(key));

        var handled = await Eventually.Get(() => FlakyThingConsumer.Handled.Where(h => h.Key == key).ToArray(), h => h.Length == 1, "the redelivered message");
        Assert.Equal(1, handled[0].Redelivery); // MT-Redelivery-Count survived the trip through hub_scheduled_message
    }

    public static async Task Saga_deadline_fires_through_the_hub_scheduler(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var id = Guid.NewGuid();

        await hub.Send("counter-state", new CounterStarted(id, DeadlineMs: 300));

        var state = await Eventually.Get(() => hub.Counter(id), s => s?.CurrentState == "Expired", "deadline received");
        Assert.Null(state!.DeadlineTokenId); // cleared by the state machine when its own token arrives
        // The scheduler removes the row once the send is done; the saga may have consumed the deadline before that commit.
        await Eventually.True(async () => await hub.Db(db => db.ScheduledMessages.CountAsync()) == 0, "the delivered deadline's row removed");
    }

    public static async Task Saga_unschedule_removes_the_pending_deadline(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var hub = await TestHub.Start(database);
        var id = Guid.NewGuid();

        await hub.Send("counter-state", new CounterStarted(id, DeadlineMs: 60_000));
        var started = await Eventually.Get(() => hub.Counter(id), s => s?.DeadlineTokenId != null, "deadline scheduled");
        var token = started!.DeadlineTokenId!.Value;
        await Eventually.True(() => hub.Db(db => db.ScheduledMessages.AnyAsync(m => m.TokenId == token)), "deadline row stored");

        await hub.Send("counter-state", new CounterStopped(id));

        await Eventually.True(async () => !await hub.Db(db => db.ScheduledMessages.AnyAsync(m => m.TokenId == token)), "deadline row removed");
        Assert.Equal("Done", (await hub.Counter(id))!.CurrentState);
    }

    // ---- helpers ----

    private static ServiceProvider StoreServices(TestDatabase database, IHubStoreModel model)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddHubStore(database.Options);
        services.AddSingleton(model);
        return services.BuildServiceProvider();
    }

    private static HubOutboxMessage LeftOverRow(string key, Guid? inboxMessageId, Guid? consumerId)
    {
        var destination = new Uri("queue:thing-recorded");
        var send = new MessageSendContext<ThingRecorded>(new ThingRecorded(key, 0)) { MessageId = NewId.NextGuid(), DestinationAddress = destination };
        var created = DateTime.UtcNow.AddMinutes(-10);
        return new HubOutboxMessage
        {
            InboxMessageId = inboxMessageId,
            InboxConsumerId = consumerId,
            MessageId = send.MessageId!.Value,
            DestinationAddress = destination,
            ContentType = SystemTextJsonMessageSerializer.JsonContentType.ToString(),
            MessageType = MessageUrn.ForTypeString<ThingRecorded>(),
            Body = SystemTextJsonMessageSerializer.Instance.GetMessageBody(send).GetString(),
            SentTime = created,
            CreatedAt = created,
        };
    }

    private static Task WaitUntilInboxSettled(TestHub hub, int expected) =>
        Eventually.True(async () => await hub.Db(db => db.InboxStates.CountAsync(s => s.Delivered != null)) >= expected, "inbox settled");

    private sealed class ExtendedTestStoreModel : IHubStoreModel
    {
        private readonly TestStoreModel _inner = new();

        public string Module => _inner.Module;

        public void Configure(ModelBuilder model) => _inner.Configure(model);

        public IReadOnlyList<HubSchemaMigration> Migrations =>
        [
            .. _inner.Migrations,
            new("test", 3, "add test_record.note", m => m.AddColumn<string>("Note", "test_record", nullable: true)),
        ];
    }
}
