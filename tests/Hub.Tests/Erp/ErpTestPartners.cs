namespace Hub.Tests.Erp;

/// <summary>
/// ERPs calling the embedded hub's /soap/erp: one the hub pushes to, one that polls its mailbox, one with both. Pushes go to the
/// bundled ERP simulator (Partners:Erp) and are retried after a second, so an outage test runs in seconds.
/// </summary>
public static class ErpTestPartners
{
    public const string PushUsername = "erp-push-user";
    public const string PollUsername = "erp-poll-user";
    public const string PushPartner = "erp-push";
    public const string PollPartner = "erp-poll";
    public const string BothUsername = "erp-both-user";
    public const string BothPartner = "erp-both";
    public static readonly string Password = "Pa55-" + Guid.NewGuid().ToString("N")[..12];

    public static string[] Args =>
    [
        $"--Soap:Partners:{PushPartner}:Username={PushUsername}", $"--Soap:Partners:{PushPartner}:Password={Password}",
        $"--Soap:Partners:{PollPartner}:Username={PollUsername}", $"--Soap:Partners:{PollPartner}:Password={Password}",
        $"--Soap:Partners:{PollPartner}:Delivery=poll",
        $"--Soap:Partners:{BothPartner}:Username={BothUsername}", $"--Soap:Partners:{BothPartner}:Password={Password}",
        $"--Soap:Partners:{BothPartner}:Delivery=both",
        "--Soap:PushRetryAfter=00:00:01", "--Soap:PushMaxRetryAfter=00:00:02",
    ];
}
