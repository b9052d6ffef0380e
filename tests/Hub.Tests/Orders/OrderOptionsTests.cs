using Hub.Endpoints.Orders;

namespace Hub.Tests.Orders;

/// <summary>The order lifecycle's configuration is checked at start, naming what is wrong.</summary>
public sealed class OrderOptionsTests
{
    private static readonly OrderOptionsValidation Validation = new();

    [Fact]
    public void Deadlines_of_unknown_or_final_states_and_a_negative_threshold_are_refused_by_name()
    {
        var lifecycle = new OrderLifecycleOptions();
        lifecycle.Deadlines["Shipping"] = TimeSpan.FromHours(1);
        lifecycle.Deadlines["Closed"] = TimeSpan.FromHours(1);
        var refused = Validation.Validate(null, lifecycle);
        Assert.True(refused.Failed);
        Assert.Contains(refused.Failures!, f => f.Contains("Orders:Lifecycle:deadlines.Shipping") && f.Contains("not a state"));
        Assert.Contains(refused.Failures!, f => f.Contains("deadlines.Closed") && f.Contains("final"));

        var threshold = Validation.Validate(null, new OrderApprovalOptions { Threshold = -1 });
        Assert.Contains(threshold.Failures!, f => f.StartsWith("Orders:Approval:threshold"));
    }

    [Fact]
    public void Configured_deadlines_override_the_domain_defaults_and_the_first_sagas_names_still_count()
    {
        var options = new OrderLifecycleOptions { FulfilmentDeadline = TimeSpan.FromMinutes(30), CompensationDeadline = TimeSpan.FromMinutes(9) };
        options.Deadlines["awaitingapproval"] = TimeSpan.FromHours(4);
        options.Deadlines["Compensating"] = TimeSpan.FromMinutes(2);
        var table = options.Table();

        Assert.True(Validation.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromHours(4), table.DeadlineIn("AwaitingApproval")!.Within);
        Assert.Equal(TimeSpan.FromMinutes(30), table.DeadlineIn("Fulfilling")!.Within);
        Assert.Equal(TimeSpan.FromMinutes(2), table.DeadlineIn("Compensating")!.Within);
        Assert.Equal(TimeSpan.FromDays(1), table.DeadlineIn("Auditing")!.Within);
        Assert.Null(table.DeadlineIn("Closed"));
    }
}
