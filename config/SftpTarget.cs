using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

/// <summary>
/// Where an sftp restic repository lives: the host as ssh matches it (IPv6 without brackets) and the SSH port,
/// and the check of the storage box's known_hosts lines against it (no trust on first use: askari's restic
/// only talks to the box whose host key the operator wrote down).
/// </summary>
internal sealed partial record SftpTarget(string Host, int Port)
{
    /// <summary>How known_hosts names this host: <c>host</c> on port 22, <c>[host]:port</c> otherwise.</summary>
    public string KnownHostsName => Port == 22 ? Host : $"[{Host}]:{Port}";

    /// <summary>The key types ssh accepts as host keys that a storage box offers.</summary>
    public static readonly IReadOnlyList<string> HostKeyTypes =
        ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"];

    /// <summary>
    /// restic's two sftp forms: <c>sftp://[user@]host[:port]/path</c> and <c>sftp:[user@]host:/path</c> (port 22).
    /// Null with <paramref name="problem"/> null: not an sftp repository; null with a problem: a malformed one.
    /// </summary>
    public static SftpTarget? Parse(string repository, out string? problem)
    {
        problem = null;
        if (!repository.StartsWith("sftp:", StringComparison.Ordinal))
        {
            return null;
        }

        var m = UrlForm().Match(repository);
        if (!m.Success)
        {
            m = ScpForm().Match(repository);
        }

        if (!m.Success)
        {
            problem = $"'{repository}' is not an sftp repository restic understands (sftp://user@host:port//path or sftp:user@host:/path)";
            return null;
        }

        var host = m.Groups["host"].Value.Trim('[', ']').ToLowerInvariant();
        var port = 22;
        if (m.Groups["port"].Success && (!int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            problem = $"'{repository}' has no valid port (1 to 65535)";
            return null;
        }

        return new SftpTarget(host, port);
    }

    /// <summary>
    /// Checks known_hosts text for this host and returns it normalised (one key per line, newline-terminated), or
    /// a problem. Each line: host names (plain or hashed), a host key type, the key; the host must be named exactly
    /// as ssh looks it up (<c>[host]:port</c> off port 22), the key must decode and carry its type.
    /// </summary>
    public string? CheckKnownHosts(string text, out string normalized)
    {
        normalized = string.Empty;
        var lines = new List<string>();
        foreach (var raw in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields[0].StartsWith('@'))
            {
                return $"line {lines.Count + 1}: markers such as {fields[0]} are not supported; give the storage box's plain host key";
            }

            if (fields.Length < 3)
            {
                return $"line {lines.Count + 1} is not a known_hosts line (host names, key type, key)";
            }

            if (!Names(fields[0]))
            {
                return $"line {lines.Count + 1} is for '{fields[0]}', not for {KnownHostsName} (ssh looks the storage box up by that name; a key for another host or port never matches)";
            }

            if (!HostKeyTypes.Contains(fields[1], StringComparer.Ordinal))
            {
                return $"line {lines.Count + 1}: '{fields[1]}' is not a host key type ({string.Join(", ", HostKeyTypes)})";
            }

            if (BlobType(fields[2]) != fields[1])
            {
                return $"line {lines.Count + 1}: the key does not decode as a {fields[1]} key (a truncated paste?)";
            }

            lines.Add($"{fields[0]} {fields[1]} {fields[2]}");
        }

        if (lines.Count == 0)
        {
            return "holds no host key line";
        }

        normalized = string.Join('\n', lines) + "\n";
        return null;
    }

    /// <summary>Whether a known_hosts host field names this host: a plain list entry equal to it, or a hashed entry of it.</summary>
    private bool Names(string hosts)
    {
        var name = KnownHostsName;
        if (hosts.StartsWith("|1|", StringComparison.Ordinal))
        {
            var parts = hosts.Split('|');
            try
            {
                // OpenSSH's HashKnownHosts format is HMAC-SHA1 of the name; matching it is not a choice of algorithm.
#pragma warning disable CA5350
                using var hmac = new HMACSHA1(Convert.FromBase64String(parts[2]));
#pragma warning restore CA5350
                return parts.Length == 4 && Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes(name))) == parts[3];
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return hosts.Split(',').Any(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The key type string at the start of an SSH public key blob, or null when it does not decode.</summary>
    private static string? BlobType(string base64)
    {
        try
        {
            var blob = Convert.FromBase64String(base64);
            if (blob.Length < 4)
            {
                return null;
            }

            var length = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
            return length is > 0 and < 64 && blob.Length >= 4 + length ? Encoding.ASCII.GetString(blob, 4, length) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^sftp://(?:[^@/\s]+@)?(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(?<port>[0-9]{1,5}))?/.+$", RegexOptions.CultureInvariant)]
    private static partial Regex UrlForm();

    [GeneratedRegex(@"^sftp:(?:[^@/\s]+@)?(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):.+$", RegexOptions.CultureInvariant)]
    private static partial Regex ScpForm();
}
