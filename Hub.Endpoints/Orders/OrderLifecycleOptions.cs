using System.ComponentModel.DataAnnotations;

namespace Hub.Endpoints.Orders;

/// <summary>Deadlines of the order lifecycle (000's 时限), section <c>Orders:Lifecycle</c>.</summary>
public sealed class OrderLifecycleOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Orders:Lifecycle";

    /// <summary>How long ERP and billing together may take before the order alarms and is compensated.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan FulfilmentDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long compensation may take before the alarm repeats and the undo commands are sent again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan CompensationDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Currency of billing charges.</summary>
    [Required, StringLength(3, MinimumLength = 3)]
    public string Currency { get; set; } = "CNY";

    /// <summary>
    /// Whether a partner command that failed after every retry (its <c>Fault</c>) compensates the order at once
    /// (default). When false the order waits in Fulfilling for operations to retry the command from the error
    /// queue at <c>/ops</c> once the partner is back; the fulfilment deadline still compensates if nobody does.
    /// </summary>
    public bool CompensateOnPartnerFault { get; set; } = true;
}
