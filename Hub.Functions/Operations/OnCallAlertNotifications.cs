using Crm.Contracts.Operations;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Operations;

/// <summary>
/// The on-call staff: registry entries tagged <see cref="Tag"/> (<c>PUT /api/notifications/recipients/user:…</c> with
/// <c>tags: ["on-call"]</c>). Alerts reach them at once, quiet hours or not.
/// </summary>
public static class OnCall
{
    /// <summary>The registry tag of the on-call staff.</summary>
    public const string Tag = "on-call";

    internal static async Task<List<string>> RecipientKeys(HubDbContext db, CancellationToken ct) =>
        await db.Set<NotificationRecipient>().AsNoTracking().Where(r => r.Tags.Contains(";" + Tag + ";")).Select(r => r.Key).ToListAsync(ct);
}

/// <summary>An operations alert began: every on-call person is told, by email and SMS.</summary>
[BusTrigger(typeof(OperationsAlertRaised))]
public sealed class OnCallAlertRaised(Notifier notifier, HubDbContext db, ILogger<OnCallAlertRaised> logger) : IFunction<OperationsAlertRaised>
{
    public async Task Run(OperationsAlertRaised message, FunctionContext context)
    {
        var onCall = await OnCall.RecipientKeys(db, context.CancellationToken);
        if (onCall.Count == 0)
        {
            logger.LogWarning("Operations alert {Kind} {Subject} has nobody on call to tell (tag a recipient '{Tag}')", message.Kind, message.Subject, OnCall.Tag);
            return;
        }
        await notifier.NotifyAsync(onCall.Select(key => new NotificationRequest("ops-alert", $"{message.AlertId:N}", key, new Dictionary<string, object?>
        {
            ["kind"] = message.Kind,
            ["alertSubject"] = message.Subject,
            ["text"] = message.Text,
            ["since"] = message.Since,
        }) { Urgent = true }).ToList(), context);
    }
}

/// <summary>The alert's condition ended: the on-call staff are told it cleared.</summary>
[BusTrigger(typeof(OperationsAlertCleared))]
public sealed class OnCallAlertCleared(Notifier notifier, HubDbContext db) : IFunction<OperationsAlertCleared>
{
    public async Task Run(OperationsAlertCleared message, FunctionContext context)
    {
        var onCall = await OnCall.RecipientKeys(db, context.CancellationToken);
        await notifier.NotifyAsync(onCall.Select(key => new NotificationRequest("ops-alert-cleared", $"{message.AlertId:N}", key, new Dictionary<string, object?>
        {
            ["kind"] = message.Kind,
            ["alertSubject"] = message.Subject,
            ["clearedAt"] = message.ClearedAt,
        }) { Urgent = true }).ToList(), context);
    }
}
