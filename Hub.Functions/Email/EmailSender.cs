using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Email;

/// <summary>An email with its HTML and plain-text alternatives.</summary>
public sealed record EmailMessage(string To, string Subject, string Text, string Html, string MessageIdKey);

/// <summary>Sends email over SMTP with System.Net.Mail (MailKit is not in our registry).</summary>
public sealed class EmailSender(IOptions<SmtpOptions> options)
{
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
        };
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(email.Html, Encoding.UTF8, MediaTypeNames.Text.Html));
        // A stable Message-ID lets the receiving side recognise a resend of the same notification.
        message.Headers.Add("Message-ID", $"<{email.MessageIdKey}@crm-hub>");

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
        await smtp.SendMailAsync(message, ct);
    }
}
