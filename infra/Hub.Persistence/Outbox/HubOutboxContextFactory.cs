using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hub.Persistence;

/// <summary>
/// The hub's <see cref="IOutboxContextFactory{TContext}"/> (scoped, one per message scope): each step of
/// MassTransit's outbox pipe runs in its own <see cref="HubDbContext"/> transaction that holds the message's
/// <c>hub_inbox_state</c> row (PostgreSQL <c>SELECT ... FOR UPDATE</c>; SQLite takes the database write lock at
/// <c>BEGIN IMMEDIATE</c>). Step 1 runs the consumer (its state changes, saga writes and outgoing messages commit
/// together and the inbox row is marked consumed); step 2, after that commit, sends the outgoing messages; step 3
/// removes them. A redelivered message that is already consumed skips the consumer.
/// </summary>
public sealed class HubOutboxContextFactory(HubDbContext db, IServiceProvider provider) : IOutboxContextFactory<HubDbContext>
{
    /// <inheritdoc />
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next) where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? throw new MessageException(typeof(T), "A MessageId is required to use the hub inbox/outbox.");
        var counted = false;
        var continueProcessing = true;
        while (continueProcessing)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
            try
            {
                var state = await Lock(messageId, options.ConsumerId, context.CancellationToken);
                if (state is null)
                {
                    state = new HubInboxState
                    {
                        MessageId = messageId,
                        ConsumerId = options.ConsumerId,
                        Received = DateTime.UtcNow,
                        ReceiveCount = 1,
                        LockId = NewId.NextGuid(),
                        Version = 1,
                    };
                    db.InboxStates.Add(state);
                }
                else
                {
                    if (!counted)
                        state.ReceiveCount++;
                    state.LockId = NewId.NextGuid();
                    state.Version++;
                }
                counted = true;
                await db.SaveChangesAsync(context.CancellationToken);

                var outboxContext = new HubOutboxConsumeContext<T>(context, options, provider, db, state);
                await next.Send(outboxContext);

                await db.SaveChangesAsync(context.CancellationToken);
                await transaction.CommitAsync(context.CancellationToken);
                continueProcessing = outboxContext.ContinueProcessing;
            }
            catch
            {
                await Rollback(transaction);
                throw;
            }
        }
    }

    /// <inheritdoc />
    public void Probe(ProbeContext context) => context.CreateFilterScope("hubOutboxContextFactory");

    private async Task<HubInboxState?> Lock(Guid messageId, Guid consumerId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
            return await db.InboxStates.SingleOrDefaultAsync(s => s.MessageId == messageId && s.ConsumerId == consumerId, ct);
        var rows = await db.InboxStates
            .FromSql($"SELECT * FROM hub_inbox_state WHERE message_id = {messageId} AND consumer_id = {consumerId} FOR UPDATE")
            .AsTracking()
            .ToListAsync(ct);
        return rows.SingleOrDefault();
    }

    private static async Task Rollback(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception)
        {
            // The original exception matters; a failed rollback ends with the connection anyway.
        }
    }
}
