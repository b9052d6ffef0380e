using System.ComponentModel.DataAnnotations;

namespace Hub.Functions.Email;

/// <summary>
/// Email delivery (section <c>Smtp</c>). With no <see cref="Host"/>, mail is written as .eml
/// files to <see cref="PickupDirectory"/>, so the embedded default works without a mail server.
/// </summary>
public sealed class SmtpOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Smtp";

    /// <summary>SMTP server; empty means the pickup directory.</summary>
    public string? Host { get; set; }
    /// <summary>SMTP port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 25;
    /// <summary>Use STARTTLS.</summary>
    public bool EnableSsl { get; set; }
    /// <summary>User name for SMTP AUTH, if the server wants it.</summary>
    public string? Username { get; set; }
    /// <summary>Password for SMTP AUTH.</summary>
    public string? Password { get; set; }
    /// <summary>Sender address.</summary>
    [Required, EmailAddress]
    public string From { get; set; } = "crm-hub@localhost";
    /// <summary>Where mail goes when no host is set.</summary>
    public string PickupDirectory { get; set; } = "data/mail";
    /// <summary>Time one SMTP exchange may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
