using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

using Pulumi;

/// <summary>Reads and validates <c>boma:backup</c> and its secrets.</summary>
internal static partial class BackupConfigLoader
{
    public const string Key = "backup";
    public const string PasswordKey = "backupPassword";
    public const string EnvKey = "backupEnv";
    public const string SshKeyKey = "backupSshKey";
    public const string KnownHostsField = "knownHosts";

    internal static BackupConfig Read(NetbirdConfigReader reader)
    {
        var obj = reader.Object(Key);
        var enabled = reader.Bool(obj, Key, "enabled", true);
        var repository = reader.String(obj, Key, "repository", enabled ? null : string.Empty, Repository, "sftp://u123@u123.your-storagebox.de:23//boma");
        var schedule = reader.String(obj, Key, "schedule", "daily",
            s => ScheduleRegex().IsMatch(s) ? null : $"'{s}' is not a systemd OnCalendar expression (check it with `systemd-analyze calendar`)", "daily");
        var daily = reader.Int(obj, Key, "keepDaily", 7, 1, 365);
        var weekly = reader.Int(obj, Key, "keepWeekly", 4, 0, 520);
        var monthly = reader.Int(obj, Key, "keepMonthly", 6, 0, 240);
        var password = reader.Secret(PasswordKey, enabled, "the restic repository password (keep a copy outside this stack: without it the backup is unreadable)",
            reader.SetSecret(PasswordKey, "\"$(openssl rand -base64 32)\""));
        var env = reader.Secret(EnvKey, false, "backend credentials", reader.SetSecret(EnvKey, "'AWS_ACCESS_KEY_ID=...'"));
        var (sftp, sshKey, knownHosts) = ReadSftp(reader, obj, enabled, repository);

        return new BackupConfig
        {
            Enabled = enabled,
            Repository = repository ?? string.Empty,
            Schedule = schedule ?? "daily",
            KeepDaily = daily,
            KeepWeekly = weekly,
            KeepMonthly = monthly,
            Password = password ?? Output.CreateSecret(string.Empty),
            BackendEnv = env ?? Output.CreateSecret(string.Empty),
            Sftp = sftp,
            SshKey = sshKey ?? Output.CreateSecret(string.Empty),
            KnownHosts = knownHosts,
        };
    }

    /// <summary>
    /// An sftp repository needs askari's root to log in to the storage box unattended: its own private key
    /// (<c>boma:backupSshKey</c>, secret) and the box's host key (<c>boma:backup.knownHosts</c>; no trust on first
    /// use). Both are required then, and refused for any other backend, where they would be silently unused.
    /// </summary>
    private static (SftpTarget? Sftp, Output<string>? Key, string KnownHosts) ReadSftp(NetbirdConfigReader reader, System.Text.Json.JsonElement obj, bool enabled, string? repository)
    {
        var sftp = repository is null ? null : SftpTarget.Parse(repository, out _);
        var name = sftp?.KnownHostsName ?? "[u123.your-storagebox.de]:23";
        var keyscan = sftp is null ? "ssh-keyscan -p 23 u123.your-storagebox.de" : $"ssh-keyscan{(sftp.Port == 22 ? "" : $" -p {sftp.Port}")} {sftp.Host}";
        var hostsFix = reader.SetPath($"{Key}.{KnownHostsField}", $"\"$({keyscan} 2>/dev/null)\"") + " (then compare `ssh-keygen -lf` of it with the fingerprints your provider publishes)";
        var keyFix = reader.SetSecret(SshKeyKey, "< askari-backup") + " (askari's own key: make it with `ssh-keygen -t ed25519 -N '' -C askari-backup -f askari-backup` and install askari-backup.pub at the storage box first; Hetzner: `cat askari-backup.pub | ssh -p 23 u123@u123.your-storagebox.de install-ssh-key`)";
        var needed = enabled && sftp is not null;

        string? hosts = null;
        if (reader.Field(obj, Key, KnownHostsField, out var value))
        {
            hosts = value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
            if (hosts is null)
            {
                reader.Error($"{Key}.{KnownHostsField}", $"must be a string of known_hosts lines, got {value.GetRawText()}", hostsFix);
            }
        }

        var key = reader.Secret(SshKeyKey, needed,
            $"the private key askari's root logs in to the storage box of {ConfigKeys.Full(Key)}.repository with (its public half installed there beforehand)",
            keyFix, ConfigRules.PrivateKey);
        if (!needed)
        {
            if (!string.IsNullOrWhiteSpace(hosts) && enabled && repository is not null)
            {
                reader.Error($"{Key}.{KnownHostsField}", "is set, but the repository is not sftp: it would never be used",
                    reader.Rm($"{Key}.{KnownHostsField}"));
            }

            if (reader.Raw(SshKeyKey) is not null && enabled && repository is not null)
            {
                reader.Error(SshKeyKey, "is set, but the repository is not sftp: it would never be used", reader.Rm(SshKeyKey));
            }

            return (null, null, string.Empty);
        }

        if (reader.Raw(SshKeyKey) is { } raw && reader.Raw(ConfigKeys.SshPrivateKey) is { } admin && raw.Trim() == admin.Trim())
        {
            reader.Error(SshKeyKey, $"is the same key as {ConfigKeys.Full(ConfigKeys.SshPrivateKey)}: askari must not hold the admin's key; give its root a key of its own", keyFix);
        }

        var normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(hosts))
        {
            if (hosts is not null || !obj.TryGetProperty(KnownHostsField, out _))
            {
                reader.Error($"{Key}.{KnownHostsField}",
                    $"is required for an sftp repository: the storage box's host key as a known_hosts line for {name} (askari never trusts a host key on first use)",
                    hostsFix);
            }
        }
        else if (sftp!.CheckKnownHosts(hosts, out normalized) is { } problem)
        {
            reader.Error($"{Key}.{KnownHostsField}", problem, hostsFix);
        }

        return (sftp, key, normalized);
    }

    private static string? Repository(string value)
    {
        if (value.Length == 0 || value.Any(char.IsWhiteSpace) || value.IndexOfAny(['\'', '"', '`', '$', '\\']) >= 0)
        {
            return $"'{value}' is not a restic repository (no spaces or quotes)";
        }

        if (value.StartsWith('/') || value.StartsWith("local:", StringComparison.Ordinal))
        {
            // The point is surviving the loss of askari.
            return $"'{value}' is a path on askari itself; use an off-host repository (sftp:, rest:, s3:, b2:, ...)";
        }

        if (!RepositoryRegex().IsMatch(value))
        {
            return $"'{value}' has no known restic backend prefix (sftp:, rest:, s3:, b2:, azure:, gs:, swift:, rclone:)";
        }

        _ = SftpTarget.Parse(value, out var problem);
        return problem;
    }

    [GeneratedRegex("^(sftp:|rest:|s3:|b2:|azure:|gs:|swift:|rclone:)", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryRegex();

    [GeneratedRegex(@"^[A-Za-z0-9*:/,.~ -]{1,80}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScheduleRegex();
}
