using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Hub.Functions.Notifications;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Email;

/// <summary>An email with its HTML and plain-text alternatives.</summary>
/// <param name="To">Recipient address.</param>
/// <param name="Subject">Subject line.</param>
/// <param name="Text">Plain-text body.</param>
/// <param name="Html">HTML alternative.</param>
/// <param name="MessageId">Stable id: a resend of the same notification carries the same Message-ID.</param>
/// <param name="UnsubscribeUrl">One-click unsubscribe address (RFC 8058), for recipients the registry knows.</param>
public sealed record EmailMessage(string To, string Subject, string Text, string Html, Guid MessageId, string? UnsubscribeUrl = null);

/// <summary>
/// Sends email over SMTP with System.Net.Mail (MailKit is not in our registry): STARTTLS and AUTH as
/// <see cref="SmtpOptions"/> say. A refusal that no retry can change (5xx about the mailbox) is a
/// <see cref="NotificationRejectedException"/>; anything else (server down, 4xx) is thrown as is, for the retries.
/// </summary>
public sealed class EmailSender(IOptions<SmtpOptions> options)
{
    private static readonly SmtpStatusCode[] PermanentRefusals =
    [
        SmtpStatusCode.MailboxUnavailable, SmtpStatusCode.MailboxNameNotAllowed, SmtpStatusCode.UserNotLocalTryAlternatePath,
        SmtpStatusCode.ExceededStorageAllocation, SmtpStatusCode.TransactionFailed,
    ];

    /// <summary>Hands <paramref name="email"/> to the SMTP server (or the pickup directory).</summary>
    public async Task SendAsync(EmailMessage email, CancellationToken ct)
    {
        var o = options.Value;
        using var message = new MailMessage(new MailAddress(o.From), new MailAddress(email.To))
        {
            Subject = email.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = email.Text,
            BodyEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.Html, Encoding.UTF8, MediaTypeNames.Text.Html));
        // A stable Message-ID lets the receiving side recognise a resend of the same notification.
        message.Headers.Add("Message-ID", $"<{email.MessageId:N}@crm-hub>");
        if (email.UnsubscribeUrl is not null)
        {
            message.Headers.Add("List-Unsubscribe", $"<{email.UnsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        using var smtp = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        if (string.IsNullOrWhiteSpace(o.Host))
        {
            Directory.CreateDirectory(o.PickupDirectory);
            smtp.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            smtp.PickupDirectoryLocation = Path.GetFullPath(o.PickupDirectory);
        }
        else
        {
            smtp.Host = o.Host;
            smtp.Port = o.Port;
            smtp.EnableSsl = o.EnableSsl;
            if (!string.IsNullOrEmpty(o.Username))
                smtp.Credentials = new NetworkCredential(o.Username, o.Password);
        }
        try
        {
            await smtp.SendMailAsync(message, ct);
        }
        catch (SmtpFailedRecipientException ex) when (PermanentRefusals.Contains(ex.StatusCode))
        {
            // Recorded (sealed) on the notification only, never logged: it may name the address.
            throw new NotificationRejectedException($"The mail server refused {email.To}: {(int)ex.StatusCode} {ex.Message}", ex);
        }
        catch (SmtpException ex)
        {
            // A server's reply often quotes the address; the retries log this exception and the error queue keeps it.
            var inner = ex.InnerException is { } cause && !cause.ToString().Contains(email.To, StringComparison.OrdinalIgnoreCase) ? cause : null;
            throw new SmtpException(Redact(ex.Message, email.To), inner) { StatusCode = ex.StatusCode };
        }
    }

    private static string Redact(string text, string address) => text.Replace(address, "<recipient>", StringComparison.OrdinalIgnoreCase);
}
