using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Hub.Persistence;

/// <summary>
/// MassTransit saga repository seam over the scoped <see cref="HubDbContext"/>, with optimistic concurrency.
/// The saga type must be a class implementing <see cref="SagaStateMachineInstance"/> and <see cref="ISagaVersion"/>,
/// mapped by its module's <see cref="IHubStoreModel"/>:
/// <code>
/// model.Entity&lt;OrderState&gt;(e =&gt; { e.ToTable("crm_order_saga"); e.HasKey(s =&gt; s.CorrelationId);
///     e.Property(s =&gt; s.Version).IsConcurrencyToken(); });
/// </code>
/// (CorrelationId is the key and is never database-generated; Version is an int concurrency token, written by the
/// repository: 1 on insert, +1 on every update). A lost update or a concurrent insert of the same CorrelationId
/// throws <see cref="ConcurrencyException"/>; a retry policy on the endpoint then reprocesses the message and finds
/// the current row. Inside the hub inbox/outbox the saga write joins the outbox transaction (same scoped context);
/// without it each save is its own transaction.
/// </summary>
public sealed class HubSagaRepositoryContextFactory<TSaga> :
    ISagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    private readonly HubDbContext _db;
    private readonly ISagaConsumeContextFactory<HubDbContext, TSaga> _factory;

    /// <summary>Created per message scope by MassTransit; checks the saga's mapping.</summary>
    /// <exception cref="ConfigurationException">The saga is not mapped as documented.</exception>
    public HubSagaRepositoryContextFactory(HubDbContext db, ISagaConsumeContextFactory<HubDbContext, TSaga> factory)
    {
        _db = db;
        _factory = factory;
        EnsureMapped(db);
    }

    private static void EnsureMapped(HubDbContext db)
    {
        var name = typeof(TSaga).Name;
        var entity = db.Model.FindEntityType(typeof(TSaga))
            ?? throw new ConfigurationException($"Saga {name} is not mapped in HubDbContext: map it in its module's IHubStoreModel.Configure.");
        if (entity.FindPrimaryKey()?.Properties is not [{ Name: nameof(ISaga.CorrelationId) }])
            throw new ConfigurationException($"Saga {name} must be keyed on CorrelationId (e.HasKey(s => s.CorrelationId)).");
        if (entity.FindProperty(nameof(ISagaVersion.Version)) is not { IsConcurrencyToken: true })
            throw new ConfigurationException($"Saga {name} must map Version as a concurrency token (e.Property(s => s.Version).IsConcurrencyToken()).");
    }

    /// <inheritdoc />
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        var repositoryContext = new HubSagaRepositoryContext<TSaga, T>(_db, context, _factory);
        await next.Send(repositoryContext);
    }

    /// <inheritdoc />
    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var instances = await _db.Set<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
        var repositoryContext = new HubSagaRepositoryContext<TSaga, T>(_db, context, _factory);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    /// <inheritdoc />
    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class => asyncMethod(new HubSagaQueryContext<TSaga>(_db, cancellationToken));

    /// <inheritdoc />
    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class => asyncMethod(new HubSagaQueryContext<TSaga>(_db, cancellationToken));

    /// <inheritdoc />
    public void Probe(ProbeContext context) => context.Add("persistence", "hub-ef-core");
}

/// <summary>Read-only saga access (<c>ILoadSagaRepository</c>, <c>IQuerySagaRepository</c>).</summary>
internal sealed class HubSagaQueryContext<TSaga>(HubDbContext db, CancellationToken cancellationToken) :
    BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>, QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public async Task<TSaga> Load(Guid correlationId) =>
        (await db.Set<TSaga>().AsNoTracking().SingleOrDefaultAsync(s => s.CorrelationId == correlationId, CancellationToken))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var ids = await db.Set<TSaga>().AsNoTracking().Where(query.FilterExpression).Select(s => s.CorrelationId).ToListAsync(cancellationToken);
        return new DefaultSagaRepositoryQueryContext<TSaga>(this, ids);
    }
}

/// <summary>One message's view of the saga table.</summary>
internal sealed class HubSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly SemaphoreSlim _gate = new(1);
    private readonly HubDbContext _db;
    private readonly ConsumeContext<TMessage> _context;
    private readonly ISagaConsumeContextFactory<HubDbContext, TSaga> _factory;

    public HubSagaRepositoryContext(HubDbContext db, ConsumeContext<TMessage> context, ISagaConsumeContextFactory<HubDbContext, TSaga> factory)
        : base(context, db)
    {
        _db = db;
        _context = context;
        _factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>?> Insert(TSaga instance)
    {
        SetVersion(instance, 1);
        var entry = _db.Set<TSaga>().Add(instance);
        try
        {
            // Inside a transaction EF saves through a savepoint, so a duplicate leaves the transaction usable.
            await _db.SaveChangesAsync(CancellationToken);
            return await _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Insert);
        }
        catch (DbUpdateException)
        {
            entry.State = EntityState.Detached;
            return null;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>?> Load(Guid correlationId)
    {
        var instance = await _db.Set<TSaga>().SingleOrDefaultAsync(s => s.CorrelationId == correlationId, CancellationToken);
        return instance is null ? null : await _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => Write(context, () =>
    {
        SetVersion(context.Saga, 1);
        _db.Set<TSaga>().Add(context.Saga);
    });

    public Task Update(SagaConsumeContext<TSaga> context) => Write(context, () =>
    {
        var entry = _db.Entry(context.Saga);
        if (entry.State == EntityState.Detached)
            throw new SagaException("The saga instance is not tracked by this HubDbContext.", typeof(TSaga), context.Saga.CorrelationId);
        if (context.Saga is ISagaVersion versioned)
            versioned.Version++;
    });

    public Task Delete(SagaConsumeContext<TSaga> context) => Write(context, () => _db.Set<TSaga>().Remove(context.Saga));

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        var entry = _db.ChangeTracker.Entries<TSaga>().FirstOrDefault(e => e.Entity.CorrelationId == context.Saga.CorrelationId);
        if (entry is null)
            return Task.CompletedTask;
        if (entry.State == EntityState.Added)
            entry.State = EntityState.Detached;
        else
        {
            entry.CurrentValues.SetValues(entry.OriginalValues);
            entry.State = EntityState.Unchanged;
        }
        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class => _factory.CreateSagaConsumeContext(_db, consumeContext, instance, mode);

    private async Task Write(SagaConsumeContext<TSaga> sagaContext, Action change)
    {
        await _gate.WaitAsync(sagaContext.CancellationToken);
        try
        {
            change();
            await _db.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            Forget(sagaContext.Saga);
            throw new ConcurrencyException($"Saga {typeof(TSaga).Name} {sagaContext.Saga.CorrelationId} was changed by another message; retry.",
                typeof(TSaga), sagaContext.Saga.CorrelationId, ex);
        }
        catch (DbUpdateException ex) when (HubStoreConflicts.IsUniqueViolation(ex))
        {
            Forget(sagaContext.Saga);
            throw new ConcurrencyException($"Saga {typeof(TSaga).Name} {sagaContext.Saga.CorrelationId} was created by another message; retry.",
                typeof(TSaga), sagaContext.Saga.CorrelationId, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A retry that reuses this context must load the row again, not the stale tracked instance.</summary>
    private void Forget(TSaga instance) => _db.Entry(instance).State = EntityState.Detached;

    private static void SetVersion(TSaga instance, int version)
    {
        if (instance is ISagaVersion versioned)
            versioned.Version = version;
    }
}

/// <summary>Uses the hub saga repository for every saga registered without an explicit repository.</summary>
public sealed class HubSagaRepositoryRegistrationProvider : ISagaRepositoryRegistrationProvider
{
    /// <inheritdoc />
    public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator) where TSaga : class, ISaga =>
        configurator.HubRepository();
}

/// <summary>Registration of the hub saga repository.</summary>
public static class HubSagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Makes the hub EF Core repository the default for sagas (<c>x.AddSagaStateMachine&lt;M, S&gt;()</c>), as
    /// <c>SetInMemorySagaRepositoryProvider</c> does for the in-memory one. Requires <c>AddHubStore</c>.
    /// </summary>
    public static void SetHubSagaRepositoryProvider(this IRegistrationConfigurator configurator) =>
        configurator.SetSagaRepositoryProvider(new HubSagaRepositoryRegistrationProvider());

    /// <summary>Uses the hub EF Core repository for this saga (see <see cref="HubSagaRepositoryContextFactory{TSaga}"/> for the mapping).</summary>
    /// <exception cref="ConfigurationException">The saga does not implement <see cref="ISagaVersion"/>.</exception>
    public static ISagaRegistrationConfigurator<T> HubRepository<T>(this ISagaRegistrationConfigurator<T> configurator) where T : class, ISaga
    {
        if (!typeof(ISagaVersion).IsAssignableFrom(typeof(T)))
            throw new ConfigurationException($"Saga {typeof(T).FullName} must implement ISagaVersion (an int Version mapped as a concurrency token) to use the hub saga repository.");
        configurator.Repository(r =>
        {
            r.RegisterSagaRepository<T, HubDbContext, SagaConsumeContextFactory<HubDbContext, T>, HubSagaRepositoryContextFactory<T>>();
            r.RegisterQuerySagaRepository<T, HubSagaRepositoryContextFactory<T>>();
            r.RegisterLoadSagaRepository<T, HubSagaRepositoryContextFactory<T>>();
        });
        return configurator;
    }
}
