using Crm.Contracts.Dealers;
using Crm.Domain;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Dealers;

/// <summary>
/// How every dealer command ends: accepted (once; a repeat gets the first answer and changes nothing) or rejected with the
/// reason and field errors, as a response to the requester, so REST can answer 422/409/412/404 with problem details.
/// </summary>
internal static class DealerCommandOutcome
{
    /// <summary>Answers a command carried out before with its first outcome and returns true; false when it is new.</summary>
    public static async Task<bool> AnsweredBefore(this ConsumeContext context, HubDbContext db, Guid commandId)
    {
        var handled = await db.Set<HandledCommand>().AsNoTracking().FirstOrDefaultAsync(c => c.CommandId == commandId, context.CancellationToken);
        if (handled is null)
            return false;
        await context.Answer(new DealerCommandAccepted(commandId, handled.EntityId, handled.Version, Repeated: true));
        return true;
    }

    /// <summary>
    /// Answers a recording command whose record (<paramref name="entityId"/>, chosen by the sender) already exists and returns
    /// true: the command was sent before under another command id. Records without a version answer version 1.
    /// </summary>
    public static async Task<bool> AlreadyRecorded<T>(this ConsumeContext context, HubDbContext db, Guid commandId, Guid entityId, bool versioned = false)
        where T : class
    {
        var rows = db.Set<T>().AsNoTracking().Where(e => EF.Property<Guid>(e, "Id") == entityId);
        var version = versioned
            ? await rows.Select(e => (long?)EF.Property<long>(e, CrmStoreModels.Version)).FirstOrDefaultAsync(context.CancellationToken)
            : await rows.AnyAsync(context.CancellationToken) ? 1L : null;
        if (version is null)
            return false;
        await context.Answer(new DealerCommandAccepted(commandId, entityId, version.Value, Repeated: true));
        return true;
    }

    /// <summary>Records the command as handled (committed with the change) and answers it.</summary>
    public static Task Accept(this ConsumeContext context, HubDbContext db, Guid commandId, Guid entityId, long version)
    {
        db.Add(new HandledCommand { CommandId = commandId, EntityId = entityId, Version = version, HandledAt = DateTime.UtcNow });
        return context.Answer(new DealerCommandAccepted(commandId, entityId, version, Repeated: false));
    }

    /// <summary>Refuses the command: whatever the domain changed in memory is dropped, nothing is saved.</summary>
    public static Task Reject(this ConsumeContext context, HubDbContext db, Guid commandId, string reason, string title, IReadOnlyDictionary<string, string[]> errors)
    {
        // Only the domain's entities and this capability's records: the inbox row of this message is tracked by the same context and must stay.
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Metadata.ClrType.Namespace is { } ns
                     && (ns.StartsWith("Crm.Domain", StringComparison.Ordinal) || ns.StartsWith("Hub.CrmStore", StringComparison.Ordinal))).ToArray())
            entry.State = EntityState.Detached;
        return context.Answer(new DealerCommandRejected(commandId, reason, title, errors));
    }

    /// <summary>Refuses the command for the rules <paramref name="violation"/> names.</summary>
    public static Task Reject(this ConsumeContext context, HubDbContext db, Guid commandId, DomainRuleViolation violation) =>
        context.Reject(db, commandId, DealerCommandRejected.Invalid, "The request breaks a business rule.", violation.Errors);

    /// <summary>Refuses the command because <paramref name="field"/> names nothing stored.</summary>
    public static Task RejectNotFound(this ConsumeContext context, HubDbContext db, Guid commandId, string field, string what) =>
        context.Reject(db, commandId, DealerCommandRejected.NotFound, $"No such {what}.", new Dictionary<string, string[]> { [field] = [$"no such {what}"] });

    /// <summary>Refuses the command because it was made from <paramref name="expected"/> while <paramref name="current"/> is stored.</summary>
    public static Task RejectVersion(this ConsumeContext context, HubDbContext db, Guid commandId, long expected, long current) =>
        context.Reject(db, commandId, DealerCommandRejected.VersionMismatch, "The resource was changed by someone else.",
            new Dictionary<string, string[]> { ["version"] = [$"the change was made from version {expected}; it is now at version {current}"] });

    /// <summary>A requester gets the answer as a response; without one, a refusal is published so it is not lost.</summary>
    private static Task Answer<T>(this ConsumeContext context, T answer) where T : class =>
        context.RequestId.HasValue ? context.RespondAsync(answer)
        : answer is DealerCommandRejected ? context.Publish(answer)
        : Task.CompletedTask;
}
