using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

using Pulumi;

/// <summary>Reads and validates <c>boma:backup</c> and its secrets.</summary>
internal static partial class BackupConfigLoader
{
    public const string Key = "backup";
    public const string PasswordKey = "backupPassword";
    public const string EnvKey = "backupEnv";

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
        };
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

        return RepositoryRegex().IsMatch(value) ? null : $"'{value}' has no known restic backend prefix (sftp:, rest:, s3:, b2:, azure:, gs:, swift:, rclone:)";
    }

    [GeneratedRegex("^(sftp:|rest:|s3:|b2:|azure:|gs:|swift:|rclone:)", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryRegex();

    [GeneratedRegex(@"^[A-Za-z0-9*:/,.~ -]{1,80}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScheduleRegex();
}
