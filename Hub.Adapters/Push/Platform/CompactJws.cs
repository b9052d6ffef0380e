using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Hub.Adapters.Push.Platform;

/// <summary>
/// JWS compact serialisation (RFC 7515) of the two tokens the push services want: FCM's RS256 service-account
/// assertion and APNs' ES256 provider token. Written out because each is a header, claims and one signature call.
/// </summary>
internal static class CompactJws
{
    /// <summary>RS256: RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public static string SignRs256(RSA key, object header, object claims) =>
        Sign(header, claims, input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>ES256: ECDSA P-256 with SHA-256, the signature as r‖s (IEEE P1363), as JWS requires.</summary>
    public static string SignEs256(ECDsa key, object header, object claims) =>
        Sign(header, claims, input => key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    private static string Sign(object header, object claims, Func<byte[], byte[]> sign)
    {
        var signingInput = $"{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        return $"{signingInput}.{Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)))}";
    }
}
