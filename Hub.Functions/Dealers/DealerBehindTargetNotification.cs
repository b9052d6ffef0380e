using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;

namespace Hub.Functions.Dealers;

/// <summary>
/// When a dealer falls behind its monthly target (003 §3.2.5 目标管理), tells the dealer and its account manager,
/// once per dealer, month and measure.
/// </summary>
[BusTrigger(typeof(DealerFellBehindTarget))]
public sealed class DealerBehindTargetNotification(Notifier notifier) : IFunction<DealerFellBehindTarget>
{
    public Task Run(DealerFellBehindTarget message, FunctionContext context)
    {
        var data = new Dictionary<string, object?>
        {
            ["dealerCode"] = message.DealerCode,
            ["dealerName"] = message.DealerName,
            ["month"] = message.Month,
            ["metric"] = message.Metric,
            ["target"] = message.Target,
            ["actual"] = message.Actual,
            ["percent"] = message.Target > 0 ? message.Actual / message.Target * 100 : 0m,
        };
        var key = $"{message.DealerCode}/{message.Month}/{message.Metric}";
        return notifier.NotifyAsync(
        [
            new NotificationRequest("dealer-behind-target", key, RecipientKeys.Dealer(message.DealerCode), data),
            new NotificationRequest("dealer-behind-target-staff", key, RecipientKeys.User(message.AccountManagerUserId), data),
        ], context);
    }
}
