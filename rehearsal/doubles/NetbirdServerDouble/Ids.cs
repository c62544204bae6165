using System.Security.Cryptography;
using System.Text;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>Identifier and secret formats as upstream makes them (cited in ../README.md).</summary>
internal static class Ids
{
    private const string Base32Hex = "0123456789abcdefghijklmnopqrstuv";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A 20-character xid-shaped id (rs/xid's base32hex text form).</summary>
    public static string Xid()
    {
        var bytes = RandomNumberGenerator.GetBytes(12);
        var sb = new StringBuilder(20);
        var bits = 0;
        var value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32Hex[(value >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Base32Hex[(value << (5 - bits)) & 31]);
        }

        return sb.ToString()[..20];
    }

    /// <summary>A setup key: an upper-case UUID.</summary>
    public static string SetupKey() => Guid.NewGuid().ToString().ToUpperInvariant();

    /// <summary>A personal access token: nbp_ + 30 base62 characters + a 6-character base62 CRC32 of the secret.</summary>
    public static string Pat()
    {
        var secret = new StringBuilder(30);
        for (var i = 0; i < 30; i++)
        {
            secret.Append(Base62[RandomNumberGenerator.GetInt32(Base62.Length)]);
        }

        var checksum = Crc32(Encoding.UTF8.GetBytes(secret.ToString()));
        var encoded = new StringBuilder();
        do
        {
            encoded.Insert(0, Base62[(int)(checksum % 62)]);
            checksum /= 62;
        }
        while (checksum > 0);
        return "nbp_" + secret + encoded.ToString().PadLeft(6, '0');
    }

    /// <summary>CRC-32 (IEEE), as Go's hash/crc32.ChecksumIEEE.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>Stored form of a secret: base64 of its SHA-256 (the plain value is never stored).</summary>
    public static string Hash(string secret) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The first 5 characters and then "****" (HiddenKey(key, 4)).</summary>
    public static string Hidden(string key) => key[..5] + "****";

    /// <summary>A WireGuard-shaped public key: 32 random bytes, base64.</summary>
    public static string WgKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
