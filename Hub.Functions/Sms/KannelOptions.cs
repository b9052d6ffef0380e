using System.ComponentModel.DataAnnotations;

namespace Hub.Functions.Sms;

/// <summary>
/// The Kannel SMS gateway (section <c>Sms:Kannel</c>). Without <see cref="BaseUrl"/> the SMS channel is off and
/// notifications go by email only.
/// </summary>
public sealed class KannelOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Sms:Kannel";

    /// <summary>smsbox's sendsms address, e.g. <c>http://127.0.0.1:13013</c>.</summary>
    [Url]
    public string? BaseUrl { get; set; }

    /// <summary>The <c>sendsms-user</c>'s username.</summary>
    public string? Username { get; set; }

    /// <summary>The <c>sendsms-user</c>'s password.</summary>
    public string? Password { get; set; }

    /// <summary>Sender number or name shown on the phone; empty: the gateway's default.</summary>
    public string? From { get; set; }

    /// <summary>This host's address as Kannel reaches it; delivery reports go to <c>{DlrUrl}/webhooks/sms/kannel/dlr</c>.</summary>
    [Url]
    public string? DlrUrl { get; set; }

    /// <summary>Delivery reports asked for (Kannel dlr-mask): 1 delivered, 2 not delivered, 4 queued on SMSC, 8 accepted by SMSC, 16 rejected by SMSC.</summary>
    [Range(1, 31)]
    public int DlrMask { get; set; } = 31;

    /// <summary>Key that signs each delivery report URL, so nobody else can change a notification's state (at least 16 characters).</summary>
    public string? DlrSecret { get; set; }

    /// <summary>Key Kannel's sms-service must pass to <c>/webhooks/sms/kannel/inbound</c> (replies such as TD / STOP); empty: no inbound SMS.</summary>
    public string? InboundKey { get; set; }

    /// <summary>
    /// The networks (CIDR or addresses) Kannel calls back from, imported with <see cref="InboundKey"/> as the
    /// <c>sms-gateway:kannel-inbound</c> partner's; its inbound SMS and delivery reports from elsewhere are refused. None: any address.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>Time one sendsms call may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the gateway is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>What is missing or wrong when <see cref="Enabled"/>; empty when fine.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled)
            yield break;
        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrWhiteSpace(Password))
            yield return "Sms:Kannel:Username and Password are required with Sms:Kannel:BaseUrl.";
        if (string.IsNullOrWhiteSpace(DlrUrl))
            yield return "Sms:Kannel:DlrUrl (this host's address as Kannel reaches it) is required with Sms:Kannel:BaseUrl.";
        if (DlrSecret is not { Length: >= 16 })
            yield return "Sms:Kannel:DlrSecret must have at least 16 characters.";
        if (Timeout <= TimeSpan.Zero)
            yield return "Sms:Kannel:Timeout must be positive.";
    }
}

/// <summary>Stops the host at start when the Kannel settings are incomplete, saying what is missing.</summary>
internal sealed class KannelOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<KannelOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, KannelOptions options)
    {
        var problems = options.Problems().ToArray();
        return problems.Length == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
