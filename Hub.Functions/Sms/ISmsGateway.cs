namespace Hub.Functions.Sms;

/// <summary>One SMS to hand to the gateway.</summary>
/// <param name="NotificationId">The notification it delivers: the key its delivery reports come back with.</param>
/// <param name="To">Mobile number.</param>
/// <param name="Text">Text, any language.</param>
public sealed record SmsMessage(Guid NotificationId, string To, string Text);

/// <summary>
/// An SMS gateway (Kannel first; others, e.g. a carrier's HTTP API, implement the same). <see cref="SendAsync"/>
/// returns when the gateway accepted the message, throws <see cref="Notifications.NotificationRejectedException"/>
/// when it refused it for good, and throws anything else when it may accept it later.
/// </summary>
public interface ISmsGateway
{
    /// <summary>The provider's name, e.g. <c>kannel</c>.</summary>
    string Name { get; }

    /// <summary>Hands <paramref name="message"/> to the gateway; returns the gateway's answer.</summary>
    Task<string> SendAsync(SmsMessage message, CancellationToken ct);
}
