using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hub.Adapters.Identity;

/// <summary>Issues the hub's bearer tokens (HS256) with the key of <c>Mobile:Jwt:SigningKey</c>.</summary>
public sealed class MobileTokens
{
    private readonly MobileJwtOptions _options;
    private readonly TimeProvider _clock;

    public MobileTokens(IOptions<MobileIdentityOptions> options, TimeProvider clock, ILogger<MobileTokens> logger)
    {
        _options = options.Value.Jwt;
        _clock = clock;
        if (string.IsNullOrWhiteSpace(_options.SigningKey))
        {
            Key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
            logger.LogWarning("Mobile:Jwt:SigningKey is not set: a key was generated for this process, so tokens will not survive a restart " +
                "and other Adapters instances will not accept them.");
        }
        else
        {
            Key = new SymmetricSecurityKey(Convert.FromBase64String(_options.SigningKey));
        }
    }

    /// <summary>The key tokens are signed and validated with.</summary>
    public SymmetricSecurityKey Key { get; }

    /// <summary>Validation rules for incoming tokens.</summary>
    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = _options.Issuer,
        ValidAudience = _options.Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = MobileCaller.Claims.Subject,
        RoleClaimType = MobileCaller.Claims.Role,
    };

    /// <summary>A token for <paramref name="user"/> signed in on <paramref name="device"/>.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(MobileUser user, MobileDevice device)
    {
        var now = _clock.GetUtcNow();
        var expires = now + _options.TokenLifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(MobileCaller.Claims.Subject, user.UserId),
                new Claim(MobileCaller.Claims.Name, user.DisplayName),
                new Claim(MobileCaller.Claims.Role, user.Role),
                new Claim(MobileCaller.Claims.Office, user.Office),
                new Claim(MobileCaller.Claims.Region, user.Region),
                new Claim(MobileCaller.Claims.Phone, device.Phone),
                new Claim(MobileCaller.Claims.Device, device.DeviceId),
            ]),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
