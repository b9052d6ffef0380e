using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Push.Platform;

/// <summary>
/// The APNs provider token: an ES256 JWT (header <c>alg</c> ES256 and <c>kid</c> the key id; claims <c>iss</c> the
/// team id and <c>iat</c>). Apple refuses one older than an hour and answers <c>TooManyProviderTokenUpdates</c> to one
/// renewed more often than every 20 minutes, so it is signed once and reused until
/// <see cref="ApnsOptions.TokenRefreshAfter"/>. One per host.
/// </summary>
public sealed class ApnsProviderToken(IOptions<ApnsOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>The least age at which a token refused as expired is signed again.</summary>
    public static readonly TimeSpan MinimumRenewal = TimeSpan.FromMinutes(20);

    private readonly Lock _gate = new();
    private readonly Lazy<ECDsa> _key = new(() => PemKeys.EcP256(options.Value.PrivateKey!));
    private (string Token, DateTimeOffset IssuedAt)? _current;

    /// <summary>The token to send now.</summary>
    public string Current()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_current is not { } held || now - held.IssuedAt >= options.Value.TokenRefreshAfter)
                _current = (Sign(now), now);
            return _current.Value.Token;
        }
    }

    /// <summary>
    /// After APNs answered <c>ExpiredProviderToken</c> for <paramref name="token"/>: signs a new one unless the held one is
    /// younger than 20 minutes (then the clock is off, and renewing would only be refused). Returns whether it renewed.
    /// </summary>
    public bool RenewExpired(string token)
    {
        lock (_gate)
        {
            if (_current is not { } held || held.Token != token)
                return true;
            var now = clock.GetUtcNow();
            if (now - held.IssuedAt < MinimumRenewal)
                return false;
            _current = (Sign(now), now);
            return true;
        }
    }

    private string Sign(DateTimeOffset now)
    {
        var o = options.Value;
        return CompactJws.SignEs256(_key.Value, new { alg = "ES256", kid = o.KeyId }, new { iss = o.TeamId, iat = now.ToUnixTimeSeconds() });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_key.IsValueCreated)
            _key.Value.Dispose();
    }
}
