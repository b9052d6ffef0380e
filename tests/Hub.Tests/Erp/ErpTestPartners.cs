namespace Hub.Tests.Erp;

/// <summary>Two ERPs calling the embedded hub's /soap/erp: one the hub pushes to, one that polls its mailbox.</summary>
public static class ErpTestPartners
{
    public const string PushUsername = "erp-push-user";
    public const string PollUsername = "erp-poll-user";
    public const string PushPartner = "erp-push";
    public const string PollPartner = "erp-poll";
    public static readonly string Password = "Pa55-" + Guid.NewGuid().ToString("N")[..12];

    public static string[] Args =>
    [
        $"--Soap:Partners:{PushPartner}:Username={PushUsername}", $"--Soap:Partners:{PushPartner}:Password={Password}",
        $"--Soap:Partners:{PollPartner}:Username={PollUsername}", $"--Soap:Partners:{PollPartner}:Password={Password}",
        $"--Soap:Partners:{PollPartner}:Delivery=poll",
    ];
}
