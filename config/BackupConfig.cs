namespace Boma.Infra.Config;

using Pulumi;

/// <summary>
/// restic backup of the NetBird coordinator's state (config key <c>boma:backup</c>, secrets
/// <c>boma:backupPassword</c>, optional <c>boma:backupEnv</c>, and for an sftp repository <c>boma:backupSshKey</c>
/// with <c>boma:backup.knownHosts</c>). See docs/netbird.md, "Backup".
/// </summary>
internal sealed record BackupConfig
{
    public required bool Enabled { get; init; }

    /// <summary>restic repository, e.g. <c>sftp://u123@u123.your-storagebox.de:23//boma</c> or <c>rest:https://…</c>; never on askari itself.</summary>
    public required string Repository { get; init; }

    /// <summary>systemd OnCalendar expression.</summary>
    public required string Schedule { get; init; }

    public required int KeepDaily { get; init; }

    public required int KeepWeekly { get; init; }

    public required int KeepMonthly { get; init; }

    /// <summary>The restic repository password (secret).</summary>
    public required Output<string> Password { get; init; }

    /// <summary>Extra backend credentials as KEY=VALUE lines (secret), e.g. AWS_ACCESS_KEY_ID=…; empty when unset.</summary>
    public required Output<string> BackendEnv { get; init; }

    /// <summary>The storage box of an sftp repository (host as ssh matches it, port); null for other backends.</summary>
    public SftpTarget? Sftp { get; init; }

    /// <summary>The private key askari's root logs in to the storage box with (secret); empty unless sftp.</summary>
    public Output<string> SshKey { get; init; } = Output.CreateSecret(string.Empty);

    /// <summary>The storage box's known_hosts lines (normalised, one per line, newline-terminated); empty unless sftp.</summary>
    public string KnownHosts { get; init; } = string.Empty;
}
