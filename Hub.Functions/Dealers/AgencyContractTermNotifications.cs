using Crm.Contracts.Dealers;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;

namespace Hub.Functions.Dealers;

/// <summary>
/// Reminds whoever looks after a dealer that its agency contract ends soon (003 §3.2.4 代理合同; 003 §3.9 事务提醒), once per contract and
/// last day. A dealer nobody looks after is reminded of nobody: the dealers list shows such dealers to their region's manager.
/// </summary>
[BusTrigger(typeof(AgencyContractExpiring))]
public sealed class AgencyContractExpiringNotification(Notifier notifier) : IFunction<AgencyContractExpiring>
{
    public Task Run(AgencyContractExpiring message, FunctionContext context) =>
        string.IsNullOrWhiteSpace(message.OwnerUserId)
            ? Task.CompletedTask
            : notifier.NotifyAsync([new NotificationRequest("agency-contract-expiring-staff", $"{message.ContractNumber}/{message.ValidTo:yyyy-MM-dd}",
                RecipientKeys.User(message.OwnerUserId), AgencyContractTermData.Of(message.ContractNumber, message.DealerCode, message.DealerName,
                    message.Territory, message.ValidTo, message.DaysLeft)) { CustomerCode = message.DealerCode }], context);
}

/// <summary>Tells whoever looks after a dealer that its agency contract has expired, once per contract.</summary>
[BusTrigger(typeof(AgencyContractExpired))]
public sealed class AgencyContractExpiredNotification(Notifier notifier) : IFunction<AgencyContractExpired>
{
    public Task Run(AgencyContractExpired message, FunctionContext context) =>
        string.IsNullOrWhiteSpace(message.OwnerUserId)
            ? Task.CompletedTask
            : notifier.NotifyAsync([new NotificationRequest("agency-contract-expired-staff", message.ContractNumber,
                RecipientKeys.User(message.OwnerUserId), AgencyContractTermData.Of(message.ContractNumber, message.DealerCode, message.DealerName,
                    message.Territory, message.ValidTo, 0)) { CustomerCode = message.DealerCode }], context);
}

/// <summary>What the contract term templates fill in.</summary>
internal static class AgencyContractTermData
{
    public static Dictionary<string, object?> Of(string contractNumber, string dealerCode, string dealerName, string territory, DateOnly validTo, int daysLeft) => new()
    {
        ["contractNumber"] = contractNumber,
        ["dealerCode"] = dealerCode,
        ["dealerName"] = dealerName,
        ["territory"] = territory,
        ["validTo"] = validTo.ToString("yyyy-MM-dd"),
        ["daysLeft"] = daysLeft,
    };
}
