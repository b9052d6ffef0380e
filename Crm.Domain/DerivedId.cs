using System.Security.Cryptography;
using System.Text;

namespace Crm.Domain;

/// <summary>
/// Ids of parts derived from their parent's id and a name (RFC 9562 version 5 style), so that a
/// retried step (a redelivered message, a reprocessing) creates parts with the same ids again.
/// </summary>
internal static class DerivedId
{
    public static Guid From(Guid parent, string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        parent.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
