using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hub.Functions.Notifications;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Sms;

/// <summary>
/// Kannel's HTTP <c>sendsms</c> interface (smsbox): <c>GET /cgi-bin/sendsms?username&amp;password&amp;from&amp;to&amp;text&amp;charset=UTF-8&amp;coding&amp;dlr-mask&amp;dlr-url</c>.
/// Text outside plain ASCII goes as UCS-2 (<c>coding=2</c>), which Chinese needs. The delivery report URL carries the
/// notification id, signed, and Kannel's escapes <c>%d</c> (report type), <c>%A</c> (SMSC answer), <c>%F</c> (SMSC
/// message id) and <c>%T</c> (time). Answers: 202 <c>0: Accepted for delivery</c> or <c>3: Queued for later delivery</c>
/// is accepted; 400 is a refusal for good; 403 (credentials), 5xx and network errors are thrown for the retries.
/// </summary>
public sealed class KannelSmsGateway(HttpClient http, IOptions<KannelOptions> options) : ISmsGateway
{
    /// <inheritdoc />
    public string Name => "kannel";

    /// <inheritdoc />
    public async Task<string> SendAsync(SmsMessage message, CancellationToken ct)
    {
        var o = options.Value;
        var query = new StringBuilder("cgi-bin/sendsms?")
            .Append("username=").Append(Uri.EscapeDataString(o.Username!))
            .Append("&password=").Append(Uri.EscapeDataString(o.Password!))
            .Append("&to=").Append(Uri.EscapeDataString(message.To))
            .Append("&text=").Append(Uri.EscapeDataString(message.Text))
            .Append("&charset=UTF-8")
            .Append("&coding=").Append(IsPlainAscii(message.Text) ? '0' : '2')
            .Append("&dlr-mask=").Append(o.DlrMask.ToString(CultureInfo.InvariantCulture))
            .Append("&dlr-url=").Append(Uri.EscapeDataString(DeliveryReportUrl(o, message.NotificationId)));
        if (!string.IsNullOrWhiteSpace(o.From))
            query.Append("&from=").Append(Uri.EscapeDataString(o.From));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);
        using var response = await http.GetAsync(new Uri(new Uri(o.BaseUrl!.TrimEnd('/') + "/"), query.ToString()), timeout.Token);
        var answer = (await response.Content.ReadAsStringAsync(timeout.Token)).Trim();
        if (response.IsSuccessStatusCode && (answer.StartsWith("0:", StringComparison.Ordinal) || answer.StartsWith("3:", StringComparison.Ordinal)))
            return answer;
        if (response.StatusCode == HttpStatusCode.BadRequest)
            throw new NotificationRejectedException($"Kannel refused the SMS to {message.To}: {(int)response.StatusCode} {answer}");
                // No number in the message: it is logged by the retries and kept in the error queue.
        throw new HttpRequestException($"Kannel did not accept SMS notification {message.NotificationId}: {(int)response.StatusCode} {answer}", null, response.StatusCode);
    }

    /// <summary>The signature of a delivery report URL for <paramref name="notificationId"/>.</summary>
    public static string Sign(string secret, Guid notificationId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(notificationId.ToString("N"))))[..32];

    /// <summary>Whether <paramref name="signature"/> is the signature of <paramref name="notificationId"/>.</summary>
    public static bool IsSigned(string secret, Guid notificationId, string? signature) =>
        signature is { Length: 32 } && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, notificationId)), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));

    private static string DeliveryReportUrl(KannelOptions o, Guid notificationId) =>
        $"{o.DlrUrl!.TrimEnd('/')}{KannelWebhooks.DeliveryReportPath}?id={notificationId:N}&sig={Sign(o.DlrSecret!, notificationId)}&status=%d&answer=%A&smsc-id=%F&at=%T";

    private static bool IsPlainAscii(string text) => text.All(c => c is >= ' ' and <= '~' or '\n' or '\r');
}
