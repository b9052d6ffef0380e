using Hub.Infrastructure.Access;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>A failed message in a list (no body).</summary>
public sealed record FailedMessageView(long Id, Guid MessageId, string MessageType, Guid? ConversationId, string Endpoint,
    string ExceptionType, string ExceptionMessage, string FailurePoint, string GroupId, DateTime FirstFailedAt, DateTime LastFailedAt,
    int FailureCount, string Status, int RetryCount, DateTime? RetriedAt, DateTime? ResolvedAt, bool Edited, string BusinessKeys);

/// <summary>Failed messages of one kind: same exception, same endpoint, same message type.</summary>
public sealed record FailureGroupView(string GroupId, string ExceptionType, string Endpoint, string MessageType, string FailurePoint,
    string ExampleMessage, int Count, DateTime FirstFailedAt, DateTime LastFailedAt);

/// <summary>Body of an edit-and-retry: the new message (the envelope's <c>message</c> object).</summary>
public sealed record EditedMessage(JsonElement Message);

/// <summary>
/// Failed messages (ServicePulse's "failed messages"): listed, grouped by exception and place of
/// failure, retried one by one or by group, edited then retried, archived. Every change is an
/// <see cref="OpsAction"/> with who and when.
/// </summary>
public static class FailedMessagesApi
{
    private const int MaxEditedBytes = 256 * 1024;

    /// <summary>Maps <c>/ops/api/failed</c>.</summary>
    public static void MapFailedMessagesApi(this RouteGroupBuilder ops)
    {
        var failed = ops.MapGroup("/failed");
        failed.MapGet("", List);
        failed.MapGet("/groups", Groups);
        failed.MapGet("/{id:long}", async (long id, HubDbContext db, HttpContext http, CancellationToken ct) =>
            await db.Set<FailedMessage>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is { } m
                ? Results.Ok(new { summary = View(m), m.StackTrace, m.Headers, Body = OpsBodies.For(await OpsBodies.SeesWholeAsync(http), m.Body),
                    m.InputAddress, m.SourceAddress, m.CorrelationId })
                : NotFound());
        failed.MapPost("/{id:long}/retry", (long id, HubDbContext db, FailedMessageRetry retry, ClaimsPrincipal user, CancellationToken ct) =>
            RetryOne(id, null, db, retry, user, ct)).RequireAuthorization(OpsRoles.CanOperate);
        failed.MapPost("/{id:long}/edit-and-retry", EditAndRetry).RequireAuthorization(OpsRoles.CanOperate);
        failed.MapPost("/{id:long}/archive", Archive).RequireAuthorization(OpsRoles.CanOperate);
        failed.MapPost("/groups/{groupId}/retry", RetryGroup).RequireAuthorization(OpsRoles.CanOperate);
        failed.MapPost("/groups/{groupId}/archive", ArchiveGroup).RequireAuthorization(OpsRoles.CanOperate);
        // An edit's detail holds the message before and after: masked like a body.
        ops.MapGet("/actions", async (HubDbContext db, int? limit, HttpContext http, CancellationToken ct) =>
        {
            var actions = await db.Set<OpsAction>().AsNoTracking().OrderByDescending(a => a.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
            var whole = await OpsBodies.SeesWholeAsync(http);
            foreach (var action in actions)
                action.Detail = OpsBodies.For(whole, action.Detail) ?? "{}";
            return Results.Ok(actions);
        });
    }

    private static async Task<IResult> List(HubDbContext db, string? status, string? group, string? key, int? limit, CancellationToken ct)
    {
        if (key is { Length: > 128 } || group is { Length: > 32 } || status is { Length: > 16 })
            return Results.Problem(statusCode: 400, title: "Search terms are too long.");
        var q = db.Set<FailedMessage>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(status))
            q = q.Where(m => m.Status == status);
        if (!string.IsNullOrWhiteSpace(group))
            q = q.Where(m => m.GroupId == group);
        if (!string.IsNullOrWhiteSpace(key))
            q = q.Where(m => m.BusinessKeys.Contains("=" + key.Trim() + ";"));
        var rows = await q.OrderByDescending(m => m.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
        return Results.Ok(rows.Select(View));
    }

    private static async Task<IResult> Groups(HubDbContext db, CancellationToken ct)
    {
        var open = await db.Set<FailedMessage>().AsNoTracking()
            .Where(m => m.Status == FailedMessageStatus.Unresolved)
            .Select(m => new { m.GroupId, m.ExceptionType, m.Endpoint, m.MessageType, m.FailurePoint, m.ExceptionMessage, m.FirstFailedAt, m.LastFailedAt })
            .ToListAsync(ct);
        return Results.Ok(open.GroupBy(m => m.GroupId)
            .Select(g => new FailureGroupView(g.Key, g.First().ExceptionType, g.First().Endpoint, g.First().MessageType, g.First().FailurePoint,
                g.First().ExceptionMessage, g.Count(), g.Min(m => m.FirstFailedAt), g.Max(m => m.LastFailedAt)))
            .OrderByDescending(g => g.LastFailedAt));
    }

    private static async Task<IResult> RetryOne(long id, JsonObject? edited, HubDbContext db, FailedMessageRetry retry, ClaimsPrincipal user, CancellationToken ct)
    {
        var row = await db.Set<FailedMessage>().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (row is null)
            return NotFound();
        if (row.Status != FailedMessageStatus.Unresolved)
            return Results.Problem(statusCode: 409, title: $"Only unresolved messages can be retried; this one is {row.Status}.");
        var before = row.Body;
        if (!await Claim([row.Id], db, ct))
            return Results.Problem(statusCode: 409, title: "Someone else is retrying or archiving this message.");
        try
        {
            await retry.Send(row, edited, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Release([row.Id], db);
            return Results.Problem(statusCode: 502, title: "The message could not be sent back to its queue.", detail: ex.Message);
        }
        // The claim set the status already. It is not written again here: the retried message may have been
        // processed, and its outcome recorded, before this line runs.
        db.Entry(row).Property(m => m.Status).CurrentValue = FailedMessageStatus.Retrying;
        db.Entry(row).Property(m => m.Status).IsModified = false;
        if (edited is not null)
        {
            row.Body = FailedMessageRetry.RewriteEnvelope(row.Body, row.Id, edited);
            row.Edited = true;
        }
        row.RetryCount++;
        row.RetriedAt = DateTime.UtcNow;
        Record(db, user, edited is null ? "retry" : "edit-retry", row.Id.ToString(), 1, edited is null ? new { row.MessageType, row.Endpoint }
            : new { row.MessageType, row.Endpoint, before = MessageOf(before), after = edited });
        await db.SaveChangesAsync(ct);
        return Results.Accepted($"/ops/api/failed/{row.Id}", View(row));
    }

    private static async Task<IResult> EditAndRetry(long id, EditedMessage body, HubDbContext db, FailedMessageRetry retry, ClaimsPrincipal user,
        HttpContext http, CancellationToken ct)
    {
        if (body.Message.ValueKind != JsonValueKind.Object)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["The edited message must be a JSON object."] });
        var raw = body.Message.GetRawText();
        if (raw.Length > MaxEditedBytes)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["message"] = [$"The edited message may not exceed {MaxEditedBytes} bytes."] });
        var row = await db.Set<FailedMessage>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (row is null)
            return NotFound();
        // Whoever saw the body masked cannot edit it: the masks would be sent on as values.
        if (SensitiveFields.NamedIn(row.Body) && !await OpsBodies.SeesWholeAsync(http))
            return Results.Problem(statusCode: 403, title: "This message carries sensitive fields; only an operations admin edits it.",
                detail: "Retry it unchanged, or ask an operations admin.");
        if (MessageTypes.Validate(row.MessageTypeUrns, raw) is { } error)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["message"] = [error] });
        return await RetryOne(id, JsonNode.Parse(raw)!.AsObject(), db, retry, user, ct);
    }

    private static async Task<IResult> Archive(long id, HubDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var changed = await db.Set<FailedMessage>().Where(m => m.Id == id && m.Status == FailedMessageStatus.Unresolved)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, FailedMessageStatus.Archived), ct);
        if (changed == 0)
            return await db.Set<FailedMessage>().AnyAsync(m => m.Id == id, ct)
                ? Results.Problem(statusCode: 409, title: "Only unresolved messages can be archived.")
                : NotFound();
        Record(db, user, "archive", id.ToString(), 1, new { });
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    private static async Task<IResult> RetryGroup(string groupId, HubDbContext db, FailedMessageRetry retry, ClaimsPrincipal user, CancellationToken ct)
    {
        var ids = await db.Set<FailedMessage>().Where(m => m.GroupId == groupId && m.Status == FailedMessageStatus.Unresolved)
            .Select(m => m.Id).ToListAsync(ct);
        if (ids.Count == 0)
            return Results.Problem(statusCode: 404, title: "No unresolved messages in that group.");
        var sent = 0;
        // In slices: a group of thousands is retried without loading every body at once.
        foreach (var slice in ids.Chunk(200))
        {
            if (!await Claim(slice, db, ct))
                continue;
            var rows = await db.Set<FailedMessage>().Where(m => slice.Contains(m.Id)).ToListAsync(ct);
            foreach (var row in rows)
            {
                try
                {
                    await retry.Send(row, null, ct);
                    row.Status = FailedMessageStatus.Retrying;
                    row.RetryCount++;
                    row.RetriedAt = DateTime.UtcNow;
                    sent++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    row.Status = FailedMessageStatus.Unresolved;
                }
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        Record(db, user, "retry-group", groupId, sent, new { requested = ids.Count });
        await db.SaveChangesAsync(ct);
        return Results.Accepted(value: new { groupId, retried = sent, requested = ids.Count });
    }

    private static async Task<IResult> ArchiveGroup(string groupId, HubDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var n = await db.Set<FailedMessage>().Where(m => m.GroupId == groupId && m.Status == FailedMessageStatus.Unresolved)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, FailedMessageStatus.Archived), ct);
        if (n == 0)
            return Results.Problem(statusCode: 404, title: "No unresolved messages in that group.");
        Record(db, user, "archive-group", groupId, n, new { });
        await db.SaveChangesAsync(ct);
        return Results.Ok(new { groupId, archived = n });
    }

    /// <summary>Moves unresolved rows to retrying in one statement, so two operators cannot send the same message twice.</summary>
    private static async Task<bool> Claim(long[] ids, HubDbContext db, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        return await db.Set<FailedMessage>().Where(m => ids.Contains(m.Id) && m.Status == FailedMessageStatus.Unresolved)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, FailedMessageStatus.Retrying).SetProperty(m => m.RetriedAt, now), ct) > 0;
    }

    private static Task Release(long[] ids, HubDbContext db) => db.Set<FailedMessage>()
        .Where(m => ids.Contains(m.Id) && m.Status == FailedMessageStatus.Retrying)
        .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, FailedMessageStatus.Unresolved));

    /// <summary>Adds the audit row of an operations action to <paramref name="db"/> (saved by the caller).</summary>
    internal static void Record(HubDbContext db, ClaimsPrincipal user, string action, string target, int count, object detail) =>
        db.Add(new OpsAction
        {
            At = DateTime.UtcNow,
            User = user.Identity?.Name ?? "?",
            Role = user.FindFirstValue(ClaimTypes.Role) ?? "?",
            Action = action,
            Target = target,
            Count = count,
            Detail = JsonSerializer.Serialize(detail),
        });

    private static JsonNode? MessageOf(string envelope) => JsonNode.Parse(envelope) is JsonObject o ? o["message"]?.DeepClone() : null;

    private static IResult NotFound() => Results.Problem(statusCode: 404, title: "No such failed message.");

    private static FailedMessageView View(FailedMessage m) => new(m.Id, m.MessageId, m.MessageType, m.ConversationId, m.Endpoint, m.ExceptionType,
        m.ExceptionMessage, m.FailurePoint, m.GroupId, m.FirstFailedAt, m.LastFailedAt, m.FailureCount, m.Status, m.RetryCount, m.RetriedAt,
        m.ResolvedAt, m.Edited, m.BusinessKeys);
}

/// <summary>Finds the contract type of a message by its MassTransit URN, to check an edited message against it.</summary>
internal static class MessageTypes
{
    /// <summary>Why <paramref name="json"/> is not a valid message of the first type in <paramref name="urns"/>; null when it is (or the type is unknown here).</summary>
    public static string? Validate(string urns, string json)
    {
        var urn = urns.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (urn is null || Find(urn) is not { } type)
            return null;
        try
        {
            return JsonSerializer.Deserialize(json, type, JsonSerializerOptions.Web) is null ? $"Not a {type.Name}." : null;
        }
        catch (JsonException ex)
        {
            return $"Not a valid {type.Name}: {ex.Message}";
        }
    }

    private static Type? Find(string urn) => AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => a.GetName().Name is { } n && (n.StartsWith("Crm.", StringComparison.Ordinal) || n.StartsWith("Hub.", StringComparison.Ordinal)))
        .SelectMany(a => { try { return a.GetTypes(); } catch (System.Reflection.ReflectionTypeLoadException e) { return e.Types.OfType<Type>().ToArray(); } })
        .FirstOrDefault(t => t is { IsClass: true, IsGenericTypeDefinition: false } && t.Namespace is not null && MessageUrn.ForTypeString(t) == urn);
}
