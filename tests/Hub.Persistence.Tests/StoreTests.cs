using Hub.Persistence.Tests.Infrastructure;

namespace Hub.Persistence.Tests;

public sealed class SqliteMigrationTests
{
    [Fact] public Task Migrations_apply_once_and_rerun_is_a_no_op() => Scenarios.Migrations_apply_once_and_rerun_is_a_no_op(StoreKind.Sqlite);
    [Fact] public Task New_module_version_is_applied_on_next_start() => Scenarios.New_module_version_is_applied_on_next_start(StoreKind.Sqlite);
    [Fact] public Task Concurrent_migrators_apply_each_migration_once() => Scenarios.Concurrent_migrators_apply_each_migration_once(StoreKind.Sqlite);
}

public sealed class SqliteSagaTests
{
    [Fact] public Task Saga_persists_across_host_restart() => Scenarios.Saga_persists_across_host_restart(StoreKind.Sqlite);
    [Fact] public Task Saga_update_conflict_is_retried_and_both_events_apply() => Scenarios.Saga_update_conflict_is_retried_and_both_events_apply(StoreKind.Sqlite, outbox: false);
    [Fact] public Task Saga_concurrent_creation_loser_retries_and_finds_the_instance() => Scenarios.Saga_concurrent_creation_loser_retries_and_finds_the_instance(StoreKind.Sqlite, outbox: false);
    [Fact] public Task Saga_deadline_fires_through_the_hub_scheduler() => Scenarios.Saga_deadline_fires_through_the_hub_scheduler(StoreKind.Sqlite);
    [Fact] public Task Saga_unschedule_removes_the_pending_deadline() => Scenarios.Saga_unschedule_removes_the_pending_deadline(StoreKind.Sqlite);
}

public sealed class SqliteInboxOutboxTests
{
    [Fact] public Task Inbox_drops_a_redelivered_message_and_the_side_effect_happens_once() => Scenarios.Inbox_drops_a_redelivered_message_and_the_side_effect_happens_once(StoreKind.Sqlite);
    [Fact] public Task Outbox_discards_messages_of_a_failed_attempt_and_sends_after_commit() => Scenarios.Outbox_discards_messages_of_a_failed_attempt_and_sends_after_commit(StoreKind.Sqlite);
    [Fact] public Task Outbox_sends_nothing_when_the_consumer_keeps_failing() => Scenarios.Outbox_sends_nothing_when_the_consumer_keeps_failing(StoreKind.Sqlite);
    [Fact] public Task Sweeper_delivers_rows_left_undelivered_by_a_crash() => Scenarios.Sweeper_delivers_rows_left_undelivered_by_a_crash(StoreKind.Sqlite);
    [Fact] public Task Two_sweepers_deliver_each_left_over_row_once() => Scenarios.Two_sweepers_deliver_each_left_over_row_once(StoreKind.Sqlite);
    [Fact] public Task Inbox_cleanup_removes_rows_older_than_the_retention() => Scenarios.Inbox_cleanup_removes_rows_older_than_the_retention(StoreKind.Sqlite);
}

public sealed class SqliteSchedulerTests
{
    [Fact] public Task Scheduled_message_is_delivered_after_its_time() => Scenarios.Scheduled_message_is_delivered_after_its_time(StoreKind.Sqlite);
    [Fact] public Task Cancelled_scheduled_message_is_removed() => Scenarios.Cancelled_scheduled_message_is_removed(StoreKind.Sqlite);
    [Fact] public Task Scheduled_message_survives_a_host_restart() => Scenarios.Scheduled_message_survives_a_host_restart(StoreKind.Sqlite);
    [Fact] public Task Scheduled_redelivery_brings_a_failed_message_back() => Scenarios.Scheduled_redelivery_brings_a_failed_message_back(StoreKind.Sqlite);
}

public sealed class PostgresStoreTests
{
    [PostgresFact] public Task Migrations_apply_once_and_rerun_is_a_no_op() => Scenarios.Migrations_apply_once_and_rerun_is_a_no_op(StoreKind.Postgres);
    [PostgresFact] public Task New_module_version_is_applied_on_next_start() => Scenarios.New_module_version_is_applied_on_next_start(StoreKind.Postgres);
    [PostgresFact] public Task Concurrent_migrators_apply_each_migration_once() => Scenarios.Concurrent_migrators_apply_each_migration_once(StoreKind.Postgres);
    [PostgresFact] public Task Saga_persists_across_host_restart() => Scenarios.Saga_persists_across_host_restart(StoreKind.Postgres);
    [PostgresFact] public Task Saga_update_conflict_is_retried_and_both_events_apply() => Scenarios.Saga_update_conflict_is_retried_and_both_events_apply(StoreKind.Postgres, outbox: true);
    [PostgresFact] public Task Saga_update_conflict_without_outbox_is_retried_and_both_events_apply() => Scenarios.Saga_update_conflict_is_retried_and_both_events_apply(StoreKind.Postgres, outbox: false);
    [PostgresFact] public Task Saga_concurrent_creation_loser_retries_and_finds_the_instance() => Scenarios.Saga_concurrent_creation_loser_retries_and_finds_the_instance(StoreKind.Postgres, outbox: true);
    [PostgresFact] public Task Inbox_drops_a_redelivered_message_and_the_side_effect_happens_once() => Scenarios.Inbox_drops_a_redelivered_message_and_the_side_effect_happens_once(StoreKind.Postgres);
    [PostgresFact] public Task Outbox_discards_messages_of_a_failed_attempt_and_sends_after_commit() => Scenarios.Outbox_discards_messages_of_a_failed_attempt_and_sends_after_commit(StoreKind.Postgres);
    [PostgresFact] public Task Outbox_sends_nothing_when_the_consumer_keeps_failing() => Scenarios.Outbox_sends_nothing_when_the_consumer_keeps_failing(StoreKind.Postgres);
    [PostgresFact] public Task Sweeper_delivers_rows_left_undelivered_by_a_crash() => Scenarios.Sweeper_delivers_rows_left_undelivered_by_a_crash(StoreKind.Postgres);
    [PostgresFact] public Task Inbox_cleanup_removes_rows_older_than_the_retention() => Scenarios.Inbox_cleanup_removes_rows_older_than_the_retention(StoreKind.Postgres);
    [PostgresFact] public Task Scheduled_message_is_delivered_after_its_time() => Scenarios.Scheduled_message_is_delivered_after_its_time(StoreKind.Postgres);
    [PostgresFact] public Task Cancelled_scheduled_message_is_removed() => Scenarios.Cancelled_scheduled_message_is_removed(StoreKind.Postgres);
    [PostgresFact] public Task Two_sweepers_deliver_each_left_over_row_once() => Scenarios.Two_sweepers_deliver_each_left_over_row_once(StoreKind.Postgres);
    [PostgresFact] public Task Scheduled_message_survives_a_host_restart() => Scenarios.Scheduled_message_survives_a_host_restart(StoreKind.Postgres);
    [PostgresFact] public Task Saga_deadline_fires_through_the_hub_scheduler() => Scenarios.Saga_deadline_fires_through_the_hub_scheduler(StoreKind.Postgres);
    [PostgresFact] public Task Saga_unschedule_removes_the_pending_deadline() => Scenarios.Saga_unschedule_removes_the_pending_deadline(StoreKind.Postgres);
}
