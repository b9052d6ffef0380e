using Crm.Contracts.Products;
using Crm.Domain;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Products;

/// <summary>
/// How every product and price-book command ends, as customer commands do: accepted once (a repeat gets the first
/// answer and changes nothing, through the shared <see cref="HandledCommand"/> table) or rejected with the reason
/// and field errors, so REST can answer 422/409/412/404 with problem details.
/// </summary>
internal static class ProductCommandOutcome
{
    /// <summary>Answers a command carried out before with its first outcome and returns true; false when it is new.</summary>
    public static async Task<bool> AnsweredBefore(this ConsumeContext context, HubDbContext db, Guid commandId)
    {
        var handled = await db.Set<HandledCommand>().AsNoTracking().FirstOrDefaultAsync(c => c.CommandId == commandId, context.CancellationToken);
        if (handled is null)
            return false;
        await context.Answer(new ProductCommandAccepted(commandId, handled.EntityId, handled.Version, Repeated: true));
        return true;
    }

    /// <summary>Records the command as handled (committed with the change) and answers it.</summary>
    public static Task Accept(this ConsumeContext context, HubDbContext db, Guid commandId, Guid entityId, long version)
    {
        db.Add(new HandledCommand { CommandId = commandId, EntityId = entityId, Version = version, HandledAt = DateTime.UtcNow });
        return context.Answer(new ProductCommandAccepted(commandId, entityId, version, Repeated: false));
    }

    /// <summary>Answers a command whose effect already exists (its entity id was used before) without changing anything.</summary>
    public static Task AcceptRepeat(this ConsumeContext context, Guid commandId, Guid entityId, long version) =>
        context.Answer(new ProductCommandAccepted(commandId, entityId, version, Repeated: true));

    /// <summary>Refuses the command: whatever the domain changed in memory is dropped, nothing is saved.</summary>
    public static Task Reject(this ConsumeContext context, HubDbContext db, Guid commandId, string reason, string title,
        IReadOnlyDictionary<string, string[]> errors)
    {
        // Only the CRM's entities: the inbox row of this message is tracked by the same context and must stay.
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Metadata.ClrType.Namespace?.StartsWith("Crm.Domain", StringComparison.Ordinal) == true
                     || e.Metadata.ClrType.Namespace?.StartsWith("Hub.CrmStore.Products", StringComparison.Ordinal) == true).ToArray())
            entry.State = EntityState.Detached;
        return context.Answer(new ProductCommandRejected(commandId, reason, title, errors));
    }

    /// <summary>Refuses the command for the rules <paramref name="violation"/> names.</summary>
    public static Task Reject(this ConsumeContext context, HubDbContext db, Guid commandId, DomainRuleViolation violation) =>
        context.Reject(db, commandId, ProductCommandRejected.Invalid, "The request breaks a business rule.", violation.Errors);

    /// <summary>Refuses the command because it was made from <paramref name="expected"/> while <paramref name="current"/> is stored.</summary>
    public static Task RejectVersion(this ConsumeContext context, HubDbContext db, Guid commandId, long expected, long current) =>
        context.Reject(db, commandId, ProductCommandRejected.VersionMismatch, "The resource was changed by someone else.",
            new Dictionary<string, string[]> { ["version"] = [$"the change was made from version {expected}; it is now at version {current}"] });

    /// <summary>A requester gets the answer as a response; without one, a refusal is published so it is not lost.</summary>
    private static Task Answer<T>(this ConsumeContext context, T answer) where T : class =>
        context.RequestId.HasValue ? context.RespondAsync(answer)
        : answer is ProductCommandRejected ? context.Publish(answer)
        : Task.CompletedTask;
}
