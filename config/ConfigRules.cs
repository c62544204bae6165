using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

/// <summary>
/// The value checks behind the typed config. Each returns null when the value is fine, otherwise
/// a short sentence saying what is wrong (the caller adds the key and the fix).
/// </summary>
internal static partial class ConfigRules
{
    /// <summary>Hetzner Cloud locations (API <c>/locations</c>): Falkenstein, Nuremberg, Helsinki, Ashburn, Hillsboro, Singapore.</summary>
    public static readonly IReadOnlyList<string> HetznerLocations = ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"];

    /// <summary>Gandi LiveDNS accepts TTLs from 300 s to 30 days.</summary>
    public const int MinTtl = 300;

    public const int MaxTtl = 2_592_000;

    // Names Debian reserves for system accounts; an admin user must not collide with them.
    private static readonly HashSet<string> ReservedUsers = new(StringComparer.Ordinal)
    {
        "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
        "www-data", "backup", "list", "irc", "nobody", "systemd-network", "systemd-resolve", "messagebus",
        "sshd", "_apt", "debian", "admin", "docker",
    };

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelRegex();

    // The one e-mail pattern: no whitespace or shell quoting characters before '@', a dotted host after it.
    [GeneratedRegex(@"^[^@\s'""`$\\]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    /// <summary>Whether the value is an e-mail address (netbird owner, ACME account).</summary>
    public static bool IsEmail(string value) => EmailRegex().IsMatch(value);

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserRegex();

    [GeneratedRegex("^[A-Za-z0-9@._+:-]+( [A-Za-z0-9@._+:-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyCommentRegex();

    [GeneratedRegex("^[a-z]{2,4}[0-9]{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServerTypeRegex();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageRegex();

    /// <summary>A DNS label: 1-63 characters, lower-case letters, digits and inner hyphens.</summary>
    public static string? Label(string value)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Length > 63)
        {
            return $"'{value}' is longer than 63 characters, the limit for one DNS label";
        }

        return LabelRegex().IsMatch(value)
            ? null
            : $"'{value}' is not a DNS label (use lower-case letters, digits and hyphens, not starting or ending with a hyphen)";
    }

    /// <summary>A registered domain such as <c>example.org</c>: at least two labels, at most 253 characters.</summary>
    public static string? Domain(string value)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.EndsWith('.'))
        {
            return $"'{value}' ends with a dot; give the zone name without it";
        }

        if (value.Length > 253)
        {
            return $"'{value}' is longer than 253 characters";
        }

        var labels = value.Split('.');
        if (labels.Length < 2)
        {
            return $"'{value}' has a single label; give the registered domain, e.g. example.org";
        }

        foreach (var label in labels)
        {
            if (Label(label) is not null)
            {
                return $"'{value}' is not a valid domain name (label '{label}' must be lower-case letters, digits and inner hyphens)";
            }
        }

        return char.IsAsciiDigit(labels[^1][0]) ? $"'{value}' has a numeric top-level label" : null;
    }

    public static string? Location(string value) =>
        HetznerLocations.Contains(value, StringComparer.Ordinal)
            ? null
            : $"'{value}' is not a Hetzner Cloud location (one of {string.Join(", ", HetznerLocations)})";

    public static string? ServerType(string value) =>
        ServerTypeRegex().IsMatch(value)
            ? null
            : $"'{value}' does not look like a Hetzner server type (e.g. cx23, cpx21, cax11)";

    public static string? Image(string value) =>
        ImageRegex().IsMatch(value) && !value.All(char.IsAsciiDigit)
            ? null
            : $"'{value}' does not look like a Hetzner image name (e.g. debian-13); pin the name, not a numeric id";

    /// <summary>Debian's default user-name rule, minus the names the system already uses.</summary>
    public static string? UserName(string value)
    {
        if (!UserRegex().IsMatch(value))
        {
            return $"'{value}' is not a valid Linux user name (lower-case letter or '_' first, then letters, digits, '_' or '-', at most 32 characters)";
        }

        return ReservedUsers.Contains(value)
            ? $"'{value}' is a system or reserved account; pick a personal admin name"
            : null;
    }

    /// <summary>
    /// An OpenSSH public key line: <c>type base64 [comment]</c> where type is ssh-ed25519, ssh-rsa or
    /// ecdsa-sha2-nistp256/384/521 and the base64 blob starts with the same type string.
    /// </summary>
    public static string? PublicKey(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return "holds a PRIVATE key; give the public key (the .pub file) here";
        }

        var parts = trimmed.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return "is not an OpenSSH public key line ('<type> <base64> [comment]')";
        }

        string[] allowed = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"];
        if (!allowed.Contains(parts[0], StringComparer.Ordinal))
        {
            return $"key type '{parts[0]}' is not accepted (use {string.Join(", ", allowed)})";
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            return "the key data is not valid base64";
        }

        // The blob begins with a length-prefixed copy of the key type; a mismatch means a mangled paste.
        if (blob.Length < 4)
        {
            return "the key data is truncated";
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (length > blob.Length - 4 || Encoding.ASCII.GetString(blob, 4, (int)length) != parts[0])
        {
            return $"the key data does not belong to a {parts[0]} key (truncated or mixed-up paste?)";
        }

        if (parts[0] == "ssh-ed25519" && blob.Length != 51)
        {
            return "the ssh-ed25519 key data has the wrong length (truncated paste?)";
        }

        if (parts[0] == "ssh-rsa" && RsaModulusBits(blob, 4 + (int)length) is var bits && bits < MinRsaBits)
        {
            return bits == 0
                ? "the ssh-rsa key data is malformed (truncated paste?)"
                : $"the ssh-rsa key has {bits} bits; at least {MinRsaBits} are required (or use ssh-ed25519)";
        }

        // The key line goes verbatim into cloud-init; keep the comment to characters that need no quoting there.
        if (parts.Length == 3 && !KeyCommentRegex().IsMatch(parts[2]))
        {
            return $"the key comment '{parts[2]}' may only contain letters, digits, spaces and @ . _ + : -";
        }

        return null;
    }

    /// <summary>RSA keys shorter than this are refused (NIST SP 800-57: 3072 bits for use beyond 2030).</summary>
    public const int MinRsaBits = 3072;

    // ssh-rsa blob after the type: mpint e, mpint n (RFC 4253 6.6). Returns n's bit length, 0 when malformed.
    private static int RsaModulusBits(byte[] blob, int offset)
    {
        for (var field = 0; field < 2; field++)
        {
            if (offset + 4 > blob.Length)
            {
                return 0;
            }

            var len = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(offset));
            if (len > blob.Length - offset - 4)
            {
                return 0;
            }

            if (field == 1)
            {
                var n = blob.AsSpan(offset + 4, (int)len);
                var skip = 0;
                while (skip < n.Length && n[skip] == 0)
                {
                    skip++;
                }

                return skip == n.Length ? 0 : ((n.Length - skip - 1) * 8) + (8 - System.Numerics.BitOperations.LeadingZeroCount((uint)n[skip]) + 24);
            }

            offset += 4 + (int)len;
        }

        return 0;
    }

    /// <summary>
    /// A private key as text (OpenSSH or PEM). Messages never quote the value: it is a secret. The usual
    /// mistakes are storing the key's path, or its public half, instead of its content.
    /// </summary>
    public static string? PrivateKey(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("ssh-", StringComparison.Ordinal) || trimmed.StartsWith("ecdsa-", StringComparison.Ordinal))
        {
            return "holds a public key; store the private key file's content";
        }

        if (!trimmed.StartsWith("-----BEGIN ", StringComparison.Ordinal) || !trimmed.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return trimmed.StartsWith('/') || trimmed.StartsWith('~')
                ? "looks like a file path; store the key file's content (note the '<')"
                : "is not an OpenSSH or PEM private key (it must start with '-----BEGIN ... PRIVATE KEY-----')";
        }

        return trimmed.Contains("ENCRYPTED", StringComparison.Ordinal)
            ? "is a passphrase-protected PEM key; the bootstrap runs unattended, use an unencrypted deploy key"
            : null;
    }

    /// <summary>A strict CIDR such as 203.0.113.7/32 or 2001:db8::/48 (see <see cref="Addresses"/>), no host bits set; <paramref name="normalized"/> is its canonical form.</summary>
    public static string? Cidr(string value, out string normalized) => Addresses.ParseCidr(value, out normalized, out _);

    /// <summary>Whether a set of (valid) SSH source CIDRs covers more than a small share of the address space; null when fine.</summary>
    public static string? TooWide(IEnumerable<string> cidrs)
    {
        var networks = cidrs.Select(c => Addresses.ParseCidr(c, out _, out var n) is null ? (IPNetwork?)n : null).OfType<IPNetwork>();
        var wide = Addresses.TooWide(networks);
        return wide.Count == 0 ? null : string.Join("; ", wide) + ": SSH must be limited to your own addresses";
    }
}
