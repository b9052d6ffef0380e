using Hub.Infrastructure.Access;
using Hub.Infrastructure.Audit;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>One audited message as the operations view lists it.</summary>
public sealed record AuditedMessageView(long Id, Guid MessageId, string MessageType, Guid? ConversationId, Guid? CorrelationId,
    Guid? InitiatorId, string? Source, string Endpoint, DateTime? SentAt, DateTime ProcessedAt, double ProcessingMs,
    string Outcome, string? Error, string BusinessKeys);

/// <summary>The operations view's API: message flows, searched by business key, type, outcome and time.</summary>
public static class OpsApi
{
    /// <summary>Registers what the operations view needs: sign-in, users, retries, queue depths, alert thresholds, its table.</summary>
    public static void AddOps(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<Hub.Persistence.IHubStoreModel, OpsStoreModel>();
        services.AddScoped<FailedMessageRetry>();
        services.AddOptions<OpsSignInOptions>().Bind(builder.Configuration.GetSection("Ops:SignIn")).ValidateDataAnnotations()
            .Validate(o => o.Duration > TimeSpan.Zero, "Ops:SignIn:Duration must be positive.").ValidateOnStart();
        services.AddHostedService<OnCallAlerting>();
        services.AddSingleton<ErrorQueueSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<ErrorQueueSweep>());
        services.AddHttpClient<QueueDepths>(http => http.Timeout = TimeSpan.FromSeconds(3));
        services.AddHttpClient("ops-probe");
        services.AddOptions<OpsAlertOptions>().Bind(builder.Configuration.GetSection("Ops:Alerts"))
            .Validate(o => o.QueueDepthThreshold > 0 && o.FailedMessagesThreshold > 0 && o.FailureWindow > TimeSpan.Zero && o.EvaluateInterval > TimeSpan.Zero && o.ErrorQueueSweepInterval > TimeSpan.Zero,
                "Ops:Alerts thresholds, window and evaluation interval must be positive.")
            .ValidateOnStart();
    }

    /// <summary>Maps <c>/ops</c> (the page, open: it asks for sign-in itself) and <c>/ops/api</c> (signed-in users only).</summary>
    public static void MapOpsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/ops", (HttpContext http) =>
        {
            http.Response.Headers.ContentSecurityPolicy = OpsPage.ContentSecurityPolicy;
            http.Response.Headers.CacheControl = "no-store";
            return Results.Content(OpsPage.Html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        routes.MapOpsSession();
        var api = routes.MapGroup("/ops/api").WithTags("Operations").RequireAuthorization(OpsRoles.CanRead);
        api.MapGet("/messages", SearchMessages);
        api.MapGet("/conversations/{conversationId:guid}", Conversation);
        api.MapGet("/messages/{id:long}/body", async (long id, HubModuleStore store, HttpContext http, CancellationToken ct) =>
        {
            await using var db = store.OpenAudit();
            var found = await db.Set<AuditedMessage>().AsNoTracking().Where(m => m.Id == id).Select(m => new { m.Headers, m.Body }).FirstOrDefaultAsync(ct);
            return found is null ? Results.Problem(statusCode: 404, title: "No such audited message.")
                : Results.Ok(new { found.Headers, Body = OpsBodies.For(await OpsBodies.SeesWholeAsync(http), found.Body) });
        });
        api.MapFailedMessagesApi();
        api.MapEndpointsApi();
        api.MapSagasApi();
        api.MapAlertsApi();
        api.MapSignInHistory();
        api.MapOpsStaffRoles();
        api.MapOpsStaffAccounts();
        api.MapOpsPartners();
        api.MapPost("/retention/purge", async (Hub.Infrastructure.Monitoring.MonitoringRetention retention, HubDbContext db,
            System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        {
            var purged = await retention.PurgeNow(ct);
            FailedMessagesApi.Record(db, user, "purge", "retention", purged, new { });
            await db.SaveChangesAsync(ct);
            return Results.Ok(new { purged });
        }).RequireAuthorization(OpsRoles.CanAdminister);
    }

    private static async Task<IResult> SearchMessages(HubModuleStore store, string? key, string? type, string? outcome,
        DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        if (key is { Length: > 128 } || type is { Length: > 200 })
            return Results.Problem(statusCode: 400, title: "Search terms are too long.");
        await using var db = store.OpenAudit();
        var q = db.Set<AuditedMessage>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(key))
            q = q.Where(m => m.BusinessKeys.Contains("=" + key.Trim() + ";"));
        if (!string.IsNullOrWhiteSpace(type))
            q = q.Where(m => m.MessageType == type);
        if (!string.IsNullOrWhiteSpace(outcome))
            q = q.Where(m => m.Outcome == outcome);
        if (from is { } f)
        {
            var since = f.UtcDateTime;
            q = q.Where(m => m.ProcessedAt >= since);
        }
        if (to is { } t)
        {
            var until = t.UtcDateTime;
            q = q.Where(m => m.ProcessedAt <= until);
        }
        var rows = await q.OrderByDescending(m => m.Id).Take(take).ToListAsync(ct);
        return Results.Ok(rows.Select(View));
    }

    private static async Task<IResult> Conversation(Guid conversationId, HubModuleStore store, CancellationToken ct)
    {
        await using var db = store.OpenAudit();
        var rows = await db.Set<AuditedMessage>().AsNoTracking()
            .Where(m => m.ConversationId == conversationId)
            .OrderBy(m => m.Id)
            .ToListAsync(ct);
        return rows.Count == 0
            ? Results.Problem(statusCode: 404, title: "No messages in that conversation.")
            : Results.Ok(rows.Select(View));
    }

    private static AuditedMessageView View(AuditedMessage m) => new(m.Id, m.MessageId, m.MessageType, m.ConversationId, m.CorrelationId,
        m.InitiatorId, m.SourceAddress, m.Endpoint, m.SentAt, m.ProcessedAt, m.ProcessingMs, m.Outcome, m.Error, m.BusinessKeys);
}
