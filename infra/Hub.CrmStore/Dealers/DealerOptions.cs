using Crm.Domain;
using Crm.Domain.Dealers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.CrmStore.Dealers;

/// <summary>The dealers capability's settings (section <c>Dealers</c>), read by the endpoint (ledger, pace) and the REST adapter (commission).</summary>
public sealed class DealerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Dealers";

    /// <summary>The commission tier table (<c>Dealers:Commission:*</c>): which measures make a tier, basis, rate per tier.</summary>
    public CommissionTierTable Commission { get; set; } = new();

    /// <summary>When a dealer counts as behind its monthly target (<c>Dealers:Pace:*</c>).</summary>
    public PaceRule Pace { get; set; } = new();

    /// <summary>How often the endpoint checks every dealer's pace.</summary>
    public TimeSpan PaceCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The company's time zone (IANA id): an order counts on the day it was placed there, and the pace is checked on that day.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>
    /// Whether billing's payment webhooks count as receipts besides the ERP's payment receipts. Off by default: where both
    /// systems are connected they report the same money, which would count twice.
    /// </summary>
    public bool CountBillingPayments { get; set; }

    /// <summary>When agency contracts are expired and their owners reminded (<c>Dealers:Contracts:*</c>).</summary>
    public AgencyContractTermOptions Contracts { get; set; } = new();

    /// <summary>The time zone of <see cref="TimeZone"/>.</summary>
    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The business day of <paramref name="at"/> in the company's time zone.</summary>
    public DateOnly Today(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone()).DateTime);
}

/// <summary>The agency contracts' term settings (section <c>Dealers:Contracts</c>).</summary>
public sealed class AgencyContractTermOptions
{
    /// <summary>How many days before a contract's last day its owner is reminded to renew it (0: on the last day only).</summary>
    public int RemindDaysBefore { get; set; } = 30;

    /// <summary>How often the endpoint looks for contracts to expire or to remind of.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Refuses a host start with settings that make no sense, naming them.</summary>
public sealed class DealerOptionsValidation : IValidateOptions<DealerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DealerOptions options)
    {
        var failures = new List<string>();
        Check(() => options.Commission.Validate(), "Dealers:Commission", failures);
        Check(() => options.Pace.Validate(), "Dealers:Pace", failures);
        if (options.PaceCheckInterval < TimeSpan.FromSeconds(1) || options.PaceCheckInterval > TimeSpan.FromDays(1))
            failures.Add("Dealers:PaceCheckInterval must be from 00:00:01 to 1.00:00:00.");
        if (options.Contracts.RemindDaysBefore is < 0 or > 365)
            failures.Add("Dealers:Contracts:RemindDaysBefore must be from 0 to 365.");
        if (options.Contracts.CheckInterval < TimeSpan.FromSeconds(1) || options.Contracts.CheckInterval > TimeSpan.FromDays(1))
            failures.Add("Dealers:Contracts:CheckInterval must be from 00:00:01 to 1.00:00:00.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone ?? "", out _))
            failures.Add($"Dealers:TimeZone '{options.TimeZone}' is not a time zone this machine knows (an IANA id such as Asia/Shanghai).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(Action validate, string section, List<string> failures)
    {
        try
        {
            validate();
        }
        catch (DomainRuleViolation violation)
        {
            failures.AddRange(violation.Errors.SelectMany(e => e.Value.Select(m => $"{section}:{e.Key} {m}.")));
        }
    }
}

/// <summary>Registration of <see cref="DealerOptions"/>, shared by the hosts that read them.</summary>
public static class DealerOptionsRegistration
{
    /// <summary>Binds and validates <see cref="DealerOptions"/> at start; a second call (two modules in one process) registers nothing twice.</summary>
    public static IServiceCollection AddDealerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<DealerOptions>)))
            return services;
        services.AddOptions<DealerOptions>().Bind(configuration.GetSection(DealerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DealerOptions>, DealerOptionsValidation>();
        return services;
    }
}
