namespace Hub.Functions.Notifications;

/// <summary>
/// The provider refused the message for a reason no retry changes (a bad number, an unknown mailbox): the
/// notification fails at once with this reason instead of going through the retries to the poison queue.
/// </summary>
public sealed class NotificationRejectedException(string message, Exception? inner = null) : Exception(message, inner);
