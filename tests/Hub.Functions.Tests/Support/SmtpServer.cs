using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Hub.Functions.Tests.Support;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd (<c>/usr/bin/python3</c>, package python3-aiosmtpd) running
/// <c>smtp_server.py</c>, which writes every message it receives to a directory; the tests read them back.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    private readonly ChildProcess _process;

    private SmtpServer(ChildProcess process, int port, string directory, X509Certificate2? certificate)
    {
        _process = process;
        Port = port;
        Directory = directory;
        Certificate = certificate;
    }

    public int Port { get; }
    public string Directory { get; }

    /// <summary>The server's self-signed certificate when it requires STARTTLS.</summary>
    public X509Certificate2? Certificate { get; }

    public static async Task<SmtpServer> StartAsync(string? user = null, string? password = null, bool startTls = false, string refuse = "",
        int? port = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hub-smtp-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        port ??= FreePort.Next();
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "smtp_server.py");
        var arguments = new List<string> { script, "--port", port.Value.ToString(), "--dir", directory, "--refuse", refuse };
        if (user is not null)
            arguments.AddRange(["--user", user, "--password", password!]);
        X509Certificate2? certificate = null;
        if (startTls)
        {
            certificate = SelfSigned(directory, out var certFile, out var keyFile);
            arguments.AddRange(["--cert", certFile, "--key", keyFile]);
        }
        var process = new ChildProcess("/usr/bin/python3", arguments);
        await process.WaitForOutput(l => l == "ready", TimeSpan.FromSeconds(30), "aiosmtpd");
        return new SmtpServer(process, port.Value, directory, certificate);
    }

    /// <summary>Every message received so far.</summary>
    public IReadOnlyList<ReceivedMail> Received() =>
        System.IO.Directory.GetFiles(Directory, "*.eml").Order().Select(f => ReceivedMail.Parse(File.ReadAllText(f))).ToArray();

    /// <summary>The messages received for <paramref name="to"/>.</summary>
    public IReadOnlyList<ReceivedMail> To(string to) =>
        Received().Where(m => m.EnvelopeTo.Equals(to, StringComparison.OrdinalIgnoreCase)).ToArray();

    public void Dispose()
    {
        _process.Dispose();
        Certificate?.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private static X509Certificate2 SelfSigned(string directory, out string certFile, out string keyFile)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        certFile = Path.Combine(directory, "cert.pem");
        keyFile = Path.Combine(directory, "key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}

/// <summary>A message as the SMTP server received it, with its headers and its text and HTML parts decoded.</summary>
public sealed partial class ReceivedMail
{
    private ReceivedMail(string raw, Dictionary<string, string> headers, string? text, string? html)
    {
        Raw = raw;
        Headers = headers;
        Text = text;
        Html = html;
    }

    public string Raw { get; }
    public IReadOnlyDictionary<string, string> Headers { get; }
    public string? Text { get; }
    public string? Html { get; }
    public string EnvelopeTo => Headers.GetValueOrDefault("X-Envelope-To", "");
    public string Subject => DecodeWords(Headers.GetValueOrDefault("Subject", ""));

    public static ReceivedMail Parse(string raw)
    {
        var (headers, body) = Split(raw);
        string? text = null, html = null;
        Collect(headers, body, ref text, ref html);
        return new ReceivedMail(raw, headers, text, html);
    }

    private static void Collect(Dictionary<string, string> headers, string body, ref string? text, ref string? html)
    {
        var type = headers.GetValueOrDefault("Content-Type", "text/plain");
        if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = Boundary().Match(type).Groups[1].Value.Trim('"');
            foreach (var part in body.Split("--" + boundary).Skip(1).TakeWhile(p => !p.StartsWith("--", StringComparison.Ordinal)))
            {
                var (partHeaders, partBody) = Split(part.TrimStart('\r', '\n'));
                Collect(partHeaders, partBody, ref text, ref html);
            }
            return;
        }
        var decoded = Decode(body, headers.GetValueOrDefault("Content-Transfer-Encoding", "7bit"));
        if (type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            html ??= decoded;
        else if (type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            text ??= decoded;
    }

    private static (Dictionary<string, string> Headers, string Body) Split(string raw)
    {
        var normal = raw.Replace("\r\n", "\n");
        var end = normal.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? normal : normal[..end];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
                headers[last] += " " + line.Trim();
            else if (line.IndexOf(':') is > 0 and var colon)
                headers[last = line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return (headers, end < 0 ? "" : normal[(end + 2)..]);
    }

    private static string Decode(string body, string encoding) => encoding.ToLowerInvariant() switch
    {
        "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))))),
        "quoted-printable" => QuotedPrintable(body),
        _ => body,
    };

    private static string QuotedPrintable(string body)
    {
        var bytes = new List<byte>();
        var text = body.Replace("=\n", "");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string DecodeWords(string value) => EncodedWord().Replace(value, m =>
    {
        var charset = Encoding.GetEncoding(m.Groups[1].Value);
        var data = m.Groups[3].Value;
        return m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? charset.GetString(Convert.FromBase64String(data))
            : QuotedPrintable(data.Replace('_', ' '));
    });

    [GeneratedRegex("boundary=(\"[^\"]+\"|[^;\\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Boundary();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*")]
    private static partial Regex EncodedWord();
}
