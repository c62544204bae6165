using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Boma.Infra.Config;

/// <summary>
/// Strict address parsing shared by config, guard and runbook. .NET's IPAddress.TryParse accepts inet_aton
/// spellings (<c>010.1.1.1</c> read as octal, <c>10.1</c> as 10.0.0.1, a bare number), zone ids and embedded
/// IPv4; here only plain dotted-quad IPv4 and plain IPv6 are addresses, and results are in canonical form.
/// </summary>
internal static class Addresses
{
    /// <summary>The widest SSH source set allowed: the union may cover at most as many addresses as one /8 of its family (1/256 of it).</summary>
    public const int WidestSourcePrefix = 8;

    /// <summary>A strict IPv4 or IPv6 address in canonical text, or null plus the reason.</summary>
    public static string? ParseIp(string text, out IPAddress? address)
    {
        address = null;
        if (text.Length == 0 || text.Length > 45)
        {
            return $"'{Show(text)}' is not an IP address";
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (text.Contains('%', StringComparison.Ordinal))
            {
                return $"'{Show(text)}' has a zone id (%...); give the address without it";
            }

            if (text.Contains('.', StringComparison.Ordinal))
            {
                return $"'{Show(text)}' embeds an IPv4 address in IPv6 notation; write the IPv4 address as such";
            }

            foreach (var c in text)
            {
                if (!(char.IsAsciiHexDigit(c) || c == ':'))
                {
                    return $"'{Show(text)}' is not an IPv6 address";
                }
            }

            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"'{Show(text)}' is not an IPv6 address";
            }

            if (v6.IsIPv4MappedToIPv6)
            {
                return $"'{Show(text)}' is an IPv4-mapped IPv6 address; write the IPv4 address as such";
            }

            address = v6;
            return null;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return $"'{Show(text)}' is not a dotted-quad IPv4 address (four numbers 0-255, e.g. 203.0.113.7)";
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit))
            {
                return $"'{Show(text)}' is not a dotted-quad IPv4 address (four numbers 0-255, e.g. 203.0.113.7)";
            }

            if (p.Length > 1 && p[0] == '0')
            {
                return $"'{Show(text)}' has a leading zero in '{p}' (read as octal by some tools); write it without";
            }

            var n = int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture);
            if (n > 255)
            {
                return $"'{Show(text)}' has '{p}', more than 255";
            }

            bytes[i] = (byte)n;
        }

        address = new IPAddress(bytes);
        return null;
    }

    /// <summary>A strict CIDR with no host bits set; <paramref name="canonical"/> is its canonical text (or the suggested network).</summary>
    public static string? ParseCidr(string text, out string canonical, out IPNetwork network)
    {
        canonical = text;
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return $"'{Show(text)}' has no prefix length (write e.g. {Show(text)}/32 for one IPv4 address or {Show(text)}/128 for one IPv6 address)";
        }

        if (ParseIp(text[..slash], out var address) is { } problem)
        {
            return problem.Replace($"'{Show(text[..slash])}'", $"'{Show(text)}'", StringComparison.Ordinal);
        }

        var prefixText = text[(slash + 1)..];
        var max = address!.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit) || (prefixText.Length > 1 && prefixText[0] == '0'))
        {
            return $"'{Show(text)}' is not a CIDR (e.g. 203.0.113.7/32 or 2001:db8::/48)";
        }

        var prefix = int.Parse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (prefix > max)
        {
            return $"'{Show(text)}' has prefix length {prefix}, more than {max}";
        }

        network = new IPNetwork(Mask(address, prefix), prefix);
        canonical = network.ToString();
        if (!network.BaseAddress.Equals(address))
        {
            return $"'{Show(text)}' has host bits set; the network is {canonical}";
        }

        return null;
    }

    /// <summary>
    /// Whether a set of sources covers more than a small share of the address space: per family, the union of
    /// the networks is compared with one /<see cref="WidestSourcePrefix"/>. The check is on coverage, so
    /// 0.0.0.0/1 plus 128.0.0.0/1 counts as the whole internet. Returns the families (and shares) that are too wide.
    /// </summary>
    public static IReadOnlyList<string> TooWide(IEnumerable<IPNetwork> networks, int widestPrefix = WidestSourcePrefix)
    {
        var result = new List<string>();
        foreach (var family in networks.GroupBy(n => n.BaseAddress.AddressFamily))
        {
            var bits = family.Key == AddressFamily.InterNetwork ? 32 : 128;
            var covered = Union(family, bits);
            var limit = BigInteger.One << (bits - widestPrefix);
            if (covered > limit)
            {
                var share = (double)covered / (double)(BigInteger.One << bits);
                result.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{(bits == 32 ? "IPv4" : "IPv6")} sources cover {share:P1} of the address space (more than one /{widestPrefix})"));
            }
        }

        return result;
    }

    private static BigInteger Union(IEnumerable<IPNetwork> networks, int bits)
    {
        var ranges = networks
            .Select(n => (Start: ToInteger(n.BaseAddress), Size: BigInteger.One << (bits - n.PrefixLength)))
            .OrderBy(r => r.Start)
            .ToList();
        BigInteger total = 0, end = -1;
        foreach (var (start, size) in ranges)
        {
            var last = start + size - 1;
            if (last <= end)
            {
                continue;
            }

            total += last - BigInteger.Max(start, end + 1) + 1;
            end = last;
        }

        return total;
    }

    private static BigInteger ToInteger(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    // Values are echoed in one-line errors: control characters are shown escaped, long values cut.
    internal static string Show(string text, int max = 80)
    {
        var cut = text.Length > max ? text[..max] + "…" : text;
        return string.Concat(cut.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString()));
    }
}
