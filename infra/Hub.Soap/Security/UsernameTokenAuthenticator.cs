using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Hub.Soap.Server;
using Microsoft.Extensions.Logging;

namespace Hub.Soap.Security;

/// <summary>The partner a request authenticated as.</summary>
internal sealed record SoapAuthentication(string PartnerId, string Username);

/// <summary>Why authentication failed; logged, never sent to the caller.</summary>
internal sealed class SoapAuthenticationException(string reason) : Exception(reason);

/// <summary>
/// Validates a WS-Security 1.0 UsernameToken (PasswordText or PasswordDigest = Base64(SHA1(nonce + created + password)))
/// with a nonce replay cache and a Created freshness window.
/// </summary>
internal sealed class UsernameTokenAuthenticator(SoapServerOptions options, ISoapNonceCache nonces, TimeProvider time)
{
    private static readonly XNamespace Wsse = SoapConstants.WsseNamespace;
    private static readonly XNamespace Wsu = SoapConstants.WsuNamespace;

    /// <summary>
    /// Returns the authenticated partner, or null when the message carries no UsernameToken and security is optional.
    /// A token that is present is always verified.
    /// </summary>
    public async Task<SoapAuthentication?> AuthenticateAsync(
        XElement? header,
        bool required,
        ISoapCredentialStore? store,
        System.Net.IPAddress? remoteAddress,
        CancellationToken cancellationToken)
    {
        var securityHeaders = header?.Elements(Wsse + "Security").ToList() ?? [];
        if (securityHeaders.Count == 0)
        {
            return required ? throw Fail("no wsse:Security header") : null;
        }

        if (securityHeaders.Count > 1)
        {
            throw Fail("more than one wsse:Security header");
        }

        var security = securityHeaders[0];
        var now = time.GetUtcNow();

        var expires = security.Element(Wsu + "Timestamp")?.Element(Wsu + "Expires");
        if (expires is not null && (!TryParseDateTime(expires.Value, out var expiresAt) || expiresAt < now - options.MaxClockSkew))
        {
            throw Fail("wsu:Timestamp expired or unreadable");
        }

        var tokens = security.Elements(Wsse + "UsernameToken").ToList();
        if (tokens.Count == 0)
        {
            return required ? throw Fail("no wsse:UsernameToken") : null;
        }

        if (tokens.Count > 1)
        {
            throw Fail("more than one wsse:UsernameToken");
        }

        var token = tokens[0];
        var username = token.Element(Wsse + "Username")?.Value.Trim();
        if (string.IsNullOrEmpty(username))
        {
            throw Fail("no wsse:Username");
        }

        var passwordElement = token.Element(Wsse + "Password") ?? throw Fail("no wsse:Password");
        var passwordType = ((string?)passwordElement.Attribute("Type"))?.Trim();
        var isDigest = passwordType switch
        {
            null or "" or SoapConstants.PasswordTextType => false,
            SoapConstants.PasswordDigestType => true,
            _ => throw Fail("unsupported password type"),
        };

        if (!isDigest && !options.AllowPasswordText)
        {
            throw Fail("PasswordText not allowed");
        }

        byte[]? nonce = null;
        var nonceElement = token.Element(Wsse + "Nonce");
        if (nonceElement is not null)
        {
            var encoding = ((string?)nonceElement.Attribute("EncodingType"))?.Trim();
            if (!string.IsNullOrEmpty(encoding) && encoding != SoapConstants.Base64BinaryEncoding)
            {
                throw Fail("unsupported nonce encoding");
            }

            nonce = DecodeBase64(nonceElement.Value);
            if (nonce is null || nonce.Length == 0)
            {
                throw Fail("unreadable nonce");
            }
        }

        var createdElement = token.Element(Wsu + "Created");
        DateTimeOffset? created = null;
        if (createdElement is not null)
        {
            if (!TryParseDateTime(createdElement.Value, out var createdAt))
            {
                throw Fail("unreadable wsu:Created");
            }

            if (createdAt < now - options.CreatedFreshnessWindow)
            {
                throw Fail("stale wsu:Created");
            }

            if (createdAt > now + options.MaxClockSkew)
            {
                throw Fail("wsu:Created in the future");
            }

            created = createdAt;
        }

        if (isDigest && (nonce is null || createdElement is null))
        {
            throw Fail("PasswordDigest without Nonce and Created");
        }

        if (store is null)
        {
            throw Fail("no credential store configured");
        }

        var credential = await store.FindByUsernameAsync(username, cancellationToken).ConfigureAwait(false);
        var expectedPassword = credential?.Password ?? string.Empty;

        bool passwordMatches;
        if (isDigest)
        {
            var provided = DecodeBase64(passwordElement.Value) ?? [];
            var expected = ComputeDigest(nonce!, createdElement!.Value, expectedPassword);
            passwordMatches = CryptographicOperations.FixedTimeEquals(provided, expected);
        }
        else
        {
            var provided = SHA256.HashData(Encoding.UTF8.GetBytes(passwordElement.Value));
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes(expectedPassword));
            passwordMatches = CryptographicOperations.FixedTimeEquals(provided, expected);
        }

        if (credential is null)
        {
            throw Fail("unknown user name");
        }

        if (!passwordMatches)
        {
            throw Fail("wrong password");
        }

        if (credential.AllowsAddress is { } allows && !allows(remoteAddress))
        {
            throw Fail($"{remoteAddress} is outside the partner's allowed networks");
        }

        if (nonce is not null)
        {
            var keepUntil = (created is { } c && c > now ? c : now) + options.CreatedFreshnessWindow + options.MaxClockSkew;
            if (!nonces.TryAdd(username + "\n" + Convert.ToBase64String(nonce), keepUntil))
            {
                throw Fail("replayed nonce");
            }
        }

        return new SoapAuthentication(credential.PartnerId, credential.Username);
    }

    /// <summary>Base64(SHA1(nonce + created + password)), the UsernameToken Profile 1.0 digest.</summary>
    public static byte[] ComputeDigest(byte[] nonce, string created, string password)
    {
        var createdBytes = Encoding.UTF8.GetBytes(created);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var buffer = new byte[nonce.Length + createdBytes.Length + passwordBytes.Length];
        nonce.CopyTo(buffer, 0);
        createdBytes.CopyTo(buffer, nonce.Length);
        passwordBytes.CopyTo(buffer, nonce.Length + createdBytes.Length);
        return SHA1.HashData(buffer);
    }

    private static byte[]? DecodeBase64(string value)
    {
        var trimmed = value.Trim();
        var buffer = new byte[((trimmed.Length + 3) / 4) * 3];
        return Convert.TryFromBase64String(trimmed, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>Parses xs:dateTime; a value without a zone is taken as UTC.</summary>
    private static bool TryParseDateTime(string value, out DateTimeOffset result)
    {
        try
        {
            var parsed = XmlConvert.ToDateTime(value.Trim(), XmlDateTimeSerializationMode.RoundtripKind);
            parsed = parsed.Kind switch
            {
                DateTimeKind.Unspecified => DateTime.SpecifyKind(parsed, DateTimeKind.Utc),
                DateTimeKind.Local => parsed.ToUniversalTime(),
                _ => parsed,
            };
            result = new DateTimeOffset(parsed);
            return true;
        }
        catch (FormatException)
        {
            result = default;
            return false;
        }
    }

    private static SoapAuthenticationException Fail(string reason) => new(reason);
}
