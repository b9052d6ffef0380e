using Crm.Domain;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints;

/// <summary>
/// How every command of a CRM capability (customers and contacts, products and price books) ends: accepted once (a repeat
/// gets the first answer and changes nothing, through the shared <see cref="HandledCommand"/> table) or rejected with the
/// reason and field errors, as a response to the requester, so REST can answer 422/409/412/404 with problem details.
/// Each capability has one instance with its own answer messages.
/// </summary>
/// <param name="accepted">The capability's accepted answer from (command id, entity id, version, repeated).</param>
/// <param name="rejected">The capability's rejected answer from (command id, reason, title, errors).</param>
/// <param name="ownNamespaces">Namespaces of the capability's stored types besides the domain's, dropped from the context on a refusal.</param>
internal sealed class CommandOutcome<TAccepted, TRejected>(
    Func<Guid, Guid, long, bool, TAccepted> accepted,
    Func<Guid, string, string, IReadOnlyDictionary<string, string[]>, TRejected> rejected,
    params string[] ownNamespaces)
    where TAccepted : class where TRejected : class
{
    /// <summary>Reason of a refusal by a business rule (the same word in every capability's rejected answer).</summary>
    public const string Invalid = "invalid";
    /// <summary>Reason of a refusal because a named record does not exist.</summary>
    public const string NotFound = "not-found";
    /// <summary>Reason of a refusal because the command was made from another version than the stored one.</summary>
    public const string VersionMismatch = "version-mismatch";

    private readonly string[] _dropped = ["Crm.Domain", .. ownNamespaces];

    /// <summary>Answers a command carried out before with its first outcome and returns true; false when it is new.</summary>
    public async Task<bool> AnsweredBefore(ConsumeContext context, HubDbContext db, Guid commandId)
    {
        var handled = await db.Set<HandledCommand>().AsNoTracking().FirstOrDefaultAsync(c => c.CommandId == commandId, context.CancellationToken);
        if (handled is null)
            return false;
        await Answer(context, accepted(commandId, handled.EntityId, handled.Version, true));
        return true;
    }

    /// <summary>
    /// Answers a creating command whose entity (<paramref name="entityId"/>, chosen by the sender) already exists
    /// with that entity's version and returns true: the command was sent before under another command id.
    /// </summary>
    public async Task<bool> AlreadyCreated<T>(ConsumeContext context, HubDbContext db, Guid commandId, Guid entityId) where T : class
    {
        var version = await db.Set<T>().AsNoTracking().Where(e => EF.Property<Guid>(e, "Id") == entityId)
            .Select(e => (long?)EF.Property<long>(e, CrmStoreModels.Version)).FirstOrDefaultAsync(context.CancellationToken);
        if (version is null)
            return false;
        await Answer(context, accepted(commandId, entityId, version.Value, true));
        return true;
    }

    /// <summary>Records the command as handled (committed with the change) and answers it.</summary>
    public Task Accept(ConsumeContext context, HubDbContext db, Guid commandId, Guid entityId, long version)
    {
        db.Add(new HandledCommand { CommandId = commandId, EntityId = entityId, Version = version, HandledAt = DateTime.UtcNow });
        return Answer(context, accepted(commandId, entityId, version, false));
    }

    /// <summary>Answers a command whose effect already exists (its entity id was used before) without changing anything.</summary>
    public Task AcceptRepeat(ConsumeContext context, Guid commandId, Guid entityId, long version) =>
        Answer(context, accepted(commandId, entityId, version, true));

    /// <summary>Refuses the command: whatever the domain changed in memory is dropped, nothing is saved.</summary>
    public Task Reject(ConsumeContext context, HubDbContext db, Guid commandId, string reason, string title, IReadOnlyDictionary<string, string[]> errors)
    {
        // Only the capability's entities: the inbox row of this message is tracked by the same context and must stay.
        foreach (var entry in db.ChangeTracker.Entries()
                     .Where(e => _dropped.Any(ns => e.Metadata.ClrType.Namespace?.StartsWith(ns, StringComparison.Ordinal) == true)).ToArray())
            entry.State = EntityState.Detached;
        return Answer(context, rejected(commandId, reason, title, errors));
    }

    /// <summary>Refuses the command for the rules <paramref name="violation"/> names.</summary>
    public Task Reject(ConsumeContext context, HubDbContext db, Guid commandId, DomainRuleViolation violation) =>
        Reject(context, db, commandId, Invalid, "The request breaks a business rule.", violation.Errors);

    /// <summary>Refuses the command because <paramref name="field"/> names nothing stored.</summary>
    public Task RejectNotFound(ConsumeContext context, HubDbContext db, Guid commandId, string field, string what) =>
        Reject(context, db, commandId, NotFound, $"No such {what}.", new Dictionary<string, string[]> { [field] = [$"no such {what}"] });

    /// <summary>Refuses the command because it was made from <paramref name="expected"/> while <paramref name="current"/> is stored.</summary>
    public Task RejectVersion(ConsumeContext context, HubDbContext db, Guid commandId, long expected, long current) =>
        Reject(context, db, commandId, VersionMismatch, "The resource was changed by someone else.",
            new Dictionary<string, string[]> { ["version"] = [$"the change was made from version {expected}; it is now at version {current}"] });

    /// <summary>A requester gets the answer as a response; without one, a refusal is published so it is not lost.</summary>
    private static Task Answer<T>(ConsumeContext context, T answer) where T : class =>
        context.RequestId.HasValue ? context.RespondAsync(answer)
        : answer is TRejected refusal ? context.Publish(refusal)
        : Task.CompletedTask;
}
