namespace Boma.Infra.Rehearsal;

/// <summary>
/// The lab as the checks see it: its namespaces and addresses (set by rehearsal/lab/lab.sh) and the clients
/// the checks run inside them. Nothing here touches this machine's own network namespace.
/// </summary>
internal sealed class Lab(string repoDir, string stateDir)
{
    public const string Operator = "brl-operator";
    public const string Stranger = "brl-stranger";
    public const string Storage = "brl-storage";
    public const string Askari = "brl-askari";
    public const string AskariIpv4 = "198.18.1.10";
    public const string AskariIpv6 = "fdb0:a5a1:1::10";
    public const string OperatorIpv4 = "198.18.3.10";
    public const string StrangerIpv4 = "198.18.4.10";

    /// <summary>The operator's range: boma:breakGlassCidrs in the rehearsal.</summary>
    public static readonly string[] OperatorCidrs = ["198.18.3.0/24", "fdb0:a5a1:3::/64"];

    /// <summary>The storage box (restic's sftp repository).</summary>
    public const string StorageRepository = "sftp://root@storage.lab.test:23//boma-netbird";

    public string RepoDir { get; } = repoDir;

    public string StateDir { get; } = stateDir;

    public string Script => Path.Combine(RepoDir, "rehearsal", "lab", "lab.sh");

    public string AdminKey => Path.Combine(StateDir, "keys", "admin");

    public string BadKey => Path.Combine(StateDir, "keys", "stranger");

    /// <summary>askari's root key for the storage box (boma:backupSshKey); its public half is in the box's authorized_keys.</summary>
    public string BackupKey => Path.Combine(StateDir, "keys", "backup");

    /// <summary>The storage box's host key (lab.sh keeps an existing one); boma:backup.knownHosts names its public half.</summary>
    public string StorageHostKey => Path.Combine(StateDir, "storage", "host_ed25519");

    /// <summary>The storage box's authorized_keys (lab.sh's sshd reads it).</summary>
    public string StorageAuthorizedKeys => Path.Combine(StateDir, "storage", "authorized_keys");

    /// <summary>How ssh looks the storage box up in known_hosts (port 23).</summary>
    public const string StorageKnownHostsName = "[storage.lab.test]:23";

    public Task<ProcessResult> LabAsync(TimeSpan timeout, CancellationToken ct, params string[] args) =>
        LabProcess.RunAsync(["bash", Script, .. args], null, timeout, ct);

    public static Task<ProcessResult> InAsync(string ns, TimeSpan timeout, CancellationToken ct, params string[] argv) =>
        LabProcess.RunAsync(["ip", "netns", "exec", ns, .. argv], null, timeout, ct);

    /// <summary>The ssh client options every check uses: no prompts, no known_hosts, a short dial timeout.</summary>
    public static string[] SshOptions(string? key) =>
    [
        "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "ConnectTimeout=8", "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes",
        .. key is null ? Array.Empty<string>() : ["-i", key],
    ];

    /// <summary>ssh from namespace <paramref name="ns"/> to <paramref name="user"/>@<paramref name="host"/>, running <paramref name="command"/>.</summary>
    public Task<ProcessResult> SshAsync(string ns, string user, string host, string command, CancellationToken ct, string? key = null, string? stdin = null, TimeSpan? timeout = null, params string[] extra) =>
        LabProcess.RunAsync(["ip", "netns", "exec", ns, "ssh", .. SshOptions(key ?? AdminKey), .. extra, $"{user}@{host}", command], stdin, timeout ?? TimeSpan.FromSeconds(60), ct);

    /// <summary>A command on askari as root (through the admin user's sudo), from the operator's laptop.</summary>
    public Task<ProcessResult> RootAsync(string adminUser, string command, CancellationToken ct, TimeSpan? timeout = null, string? stdin = null) =>
        SshAsync(Operator, adminUser, AskariIpv4, "sudo -n bash -s", ct, stdin: command + "\n" + (stdin ?? ""), timeout: timeout);
}
