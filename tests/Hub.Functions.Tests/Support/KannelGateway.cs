using System.Text;
using System.Text.RegularExpressions;
using System.Web;

namespace Hub.Functions.Tests.Support;

/// <summary>One SMS the fake SMS centre received from Kannel.</summary>
public sealed record HandsetMessage(string From, string To, string Text);

/// <summary>
/// A real Kannel SMS gateway from Debian's packages: bearerbox and smsbox (package kannel) with fakesmsc (package
/// kannel-extras) as the SMS centre, on ports of their own. smsbox's sendsms interface is what the hub calls; the
/// fake centre prints every message it gets, and can send a message from a phone (MO), which Kannel passes to the
/// hub's inbound webhook.
/// </summary>
public sealed partial class KannelGateway : IDisposable
{
    public const string Username = "crm-hub";
    public const string Password = "kannel-test-password";
    public const string ServiceNumber = "10690";
    private const string FakeSmsc = "/usr/lib/kannel/test/fakesmsc";

    private readonly string _directory;
    private readonly List<ChildProcess> _smscs = [];
    private ChildProcess _bearerbox = null!;
    private ChildProcess _smsbox = null!;
    private int _smscPort;

    private KannelGateway(string directory) => _directory = directory;

    /// <summary>smsbox's sendsms address (<c>Sms:Kannel:BaseUrl</c>).</summary>
    public string SendSmsUrl { get; private set; } = "";

    /// <summary>Starts the gateway; replies from phones go to <paramref name="inboundUrl"/> with <c>%p</c> and <c>%a</c> appended.</summary>
    public static async Task<KannelGateway> StartAsync(string inboundUrl)
    {
        var gateway = new KannelGateway(Path.Combine(Path.GetTempPath(), "hub-kannel-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            await gateway.Start(inboundUrl);
            return gateway;
        }
        catch
        {
            gateway.Dispose();
            throw;
        }
    }

    private async Task Start(string inboundUrl)
    {
        Directory.CreateDirectory(_directory);
        var admin = FreePort.Next();
        var boxes = FreePort.Next();
        _smscPort = FreePort.Next();
        var sendsms = FreePort.Next();
        var config = Path.Combine(_directory, "kannel.conf");
        await File.WriteAllTextAsync(config, $"""
            group = core
            admin-port = {admin}
            admin-password = admin-{Guid.NewGuid():N}
            smsbox-port = {boxes}
            box-allow-ip = "127.0.0.1"
            log-file = "{_directory}/bearerbox.log"
            log-level = 0
            dlr-storage = internal

            group = smsc
            smsc = fake
            smsc-id = fake
            port = {_smscPort}
            connect-allow-ip = "127.0.0.1"

            group = smsbox
            bearerbox-host = 127.0.0.1
            bearerbox-port = {boxes}
            sendsms-port = {sendsms}
            log-file = "{_directory}/smsbox.log"
            log-level = 0

            group = sendsms-user
            username = {Username}
            password = {Password}
            max-messages = 5
            concatenation = true

            group = sms-service
            keyword = default
            get-url = "{inboundUrl}&from=%p&text=%a"
            max-messages = 1
            omit-empty = true
            accept-x-kannel-headers = true

            """);
        _bearerbox = new ChildProcess("/usr/sbin/bearerbox", ["-v", "1", config], _directory);
        await FreePort.WaitUntilListening(_smscPort, TimeSpan.FromSeconds(30), "Kannel bearerbox (fake SMSC port)");
        _smscs.Add(new ChildProcess(FakeSmsc, ["-H", "127.0.0.1", "-r", _smscPort.ToString(), "-i", "0", "-m", "0"], _directory));
        _smsbox = new ChildProcess("/usr/sbin/smsbox", ["-v", "1", config], _directory);
        await FreePort.WaitUntilListening(sendsms, TimeSpan.FromSeconds(30), "Kannel smsbox (sendsms port)");
        SendSmsUrl = $"http://127.0.0.1:{sendsms}";
    }

    /// <summary>Every message the SMS centre received so far, decoded.</summary>
    public IReadOnlyList<HandsetMessage> Received() =>
        _smscs.SelectMany(s => s.Output).Select(l => Got().Match(l)).Where(m => m.Success)
            .Select(m => new HandsetMessage(m.Groups["from"].Value, m.Groups["to"].Value, DecodeText(m.Groups["type"].Value, m.Groups["data"].Value)))
            .ToArray();

    /// <summary>The messages received for <paramref name="phone"/>.</summary>
    public IReadOnlyList<HandsetMessage> To(string phone) => Received().Where(m => m.To == phone).ToArray();

    /// <summary>
    /// A phone sends <paramref name="text"/> (plain ASCII) to the service number. Kannel's fake SMSC serves one
    /// client at a time, so the receiving fakesmsc is replaced by one that sends the message and then receives.
    /// </summary>
    public async Task SendFromPhone(string phone, string text)
    {
        _smscs[^1].Dispose();
        var smsc = new ChildProcess(FakeSmsc, ["-H", "127.0.0.1", "-r", _smscPort.ToString(), "-i", "0", "-m", "1", $"{phone} {ServiceNumber} text {text}"], _directory);
        _smscs.Add(smsc);
        await smsc.WaitForOutput(l => l.Contains("sent message 1", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "fakesmsc sending from a phone");
    }

    /// <summary>The gateway's own logs, for failure messages.</summary>
    public string Logs() => string.Join('\n', new[] { "bearerbox.log", "smsbox.log" }
        .Select(f => Path.Combine(_directory, f)).Where(File.Exists).SelectMany(f => File.ReadLines(f).TakeLast(30)));

    public void Dispose()
    {
        _smsbox?.Dispose();
        foreach (var smsc in _smscs)
            smsc.Dispose();
        _bearerbox?.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static string DecodeText(string type, string data)
    {
        var bytes = HttpUtility.UrlDecodeToBytes(data);
        return type == "ucs-2" || type == "ucs2" ? Encoding.BigEndianUnicode.GetString(bytes) : Encoding.UTF8.GetString(bytes);
    }

    [GeneratedRegex(@"Got message \d+: <(?<from>\S+) (?<to>\S+) (?<type>\S+) (?<data>[^>]*)>")]
    private static partial Regex Got();
}
