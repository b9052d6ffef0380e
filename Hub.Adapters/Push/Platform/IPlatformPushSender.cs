namespace Hub.Adapters.Push.Platform;

/// <summary>One notification for one device, as the platform senders take it.</summary>
/// <param name="Token">The device's FCM registration token or APNs device token.</param>
/// <param name="Title">Title shown on the lock screen.</param>
/// <param name="Body">Text shown under the title.</param>
/// <param name="Data">What the app reads (kind and business keys); values are strings, as FCM requires.</param>
/// <param name="Silent">
/// Delivered without alert or sound (FCM data-only message, APNs background push): the app updates its inbox and
/// badge, the phone stays quiet. Used for non-urgent events during the user's quiet hours.
/// </param>
/// <param name="CollapseKey">The event's identity: a second copy of it replaces the first on the phone instead of ringing again.</param>
/// <param name="Id">This delivery's id (<c>apns-id</c>), for tracing it in the provider's logs.</param>
/// <param name="TimeToLive">How long the provider keeps trying a switched-off phone.</param>
public sealed record PlatformPush(string Token, string Title, string Body, IReadOnlyDictionary<string, string> Data, bool Silent,
    string CollapseKey, Guid Id, TimeSpan TimeToLive);

/// <summary>What became of a push the provider answered.</summary>
public enum PlatformPushOutcome
{
    /// <summary>The provider accepted it for delivery.</summary>
    Accepted,
    /// <summary>The token no longer reaches the app (uninstalled, or not a token): forget it.</summary>
    TokenGone,
}

/// <summary>
/// A platform push service (FCM for <c>android</c>, APNs for <c>ios</c>; matched on <c>MobileDevice.Platform</c>).
/// <see cref="SendAsync"/> returns the provider's verdict, throws <see cref="PlatformPushUnavailableException"/> when
/// the provider may take it later (429, 5xx, network: the bus retries it) and <see cref="PlatformPushRejectedException"/>
/// when it refused the request itself (our credentials or payload: retries and then the error queue, for operations).
/// </summary>
public interface IPlatformPushSender
{
    /// <summary>The <c>MobileDevice.Platform</c> this sender reaches: <c>android</c> or <c>ios</c>.</summary>
    string Platform { get; }

    /// <summary>Hands <paramref name="push"/> to the provider.</summary>
    Task<PlatformPushOutcome> SendAsync(PlatformPush push, CancellationToken ct);
}

/// <summary>The provider is busy or down (429, 500, 503, network); try again later, after <see cref="RetryAfter"/> if it said.</summary>
public sealed class PlatformPushUnavailableException(string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The pause the provider asked for, if any.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The provider refused the request itself: the reason is in the message.</summary>
public sealed class PlatformPushRejectedException(string message) : Exception(message);

/// <summary>How the push clients turn an HTTP exchange with a provider into the outcomes above.</summary>
internal static class ProviderCall
{
    /// <summary>Sends <paramref name="request"/>; a network failure, timeout or open circuit is <see cref="PlatformPushUnavailableException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string service, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            throw new PlatformPushUnavailableException($"{service} is unreachable: {e.Message}", inner: e);
        }
    }

    /// <summary>The exception for a failed answer: unavailable (with its <c>Retry-After</c>) when worth retrying, else rejected.</summary>
    public static Exception Failure(HttpResponseMessage response, string message) =>
        Billing.PartnerResilienceHandler.IsTransient(response.StatusCode)
            ? new PlatformPushUnavailableException(message, Billing.PartnerResilienceHandler.RetryAfter(response))
            : new PlatformPushRejectedException(message);
}
