namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>An SSH target as the command provider's <c>connection</c> input describes it (defaults applied).</summary>
internal sealed record RemoteConnection(string Host, int Port, string User, string? PrivateKey, string? Password, int DialErrorLimit, int PerDialTimeout)
{
    /// <summary>Reads a resolved <c>connection</c> object, with the provider's defaults (user root, port 22, 10 dials of 15 s).</summary>
    public static RemoteConnection From(object? value)
    {
        if (value is not IReadOnlyDictionary<string, object?> c || c.GetValueOrDefault("host") is not string host || host.Length == 0)
        {
            throw new InvalidOperationException("connection.host is missing (the provider requires it)");
        }

        if (c.GetValueOrDefault("proxy") is not null)
        {
            throw new NotSupportedException("connection.proxy is not supported by the rehearsal executor");
        }

        return new RemoteConnection(
            host,
            c.GetValueOrDefault("port") is { } port ? Convert.ToInt32(port, System.Globalization.CultureInfo.InvariantCulture) : 22,
            c.GetValueOrDefault("user") as string ?? "root",
            c.GetValueOrDefault("privateKey") as string,
            c.GetValueOrDefault("password") as string,
            c.GetValueOrDefault("dialErrorLimit") is { } limit ? Convert.ToInt32(limit, System.Globalization.CultureInfo.InvariantCulture) : 10,
            c.GetValueOrDefault("perDialTimeout") is { } timeout ? Convert.ToInt32(timeout, System.Globalization.CultureInfo.InvariantCulture) : 15);
    }

    /// <summary>No secrets: for logs and errors.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}";
}

/// <summary>What the command run gave back.</summary>
internal sealed record ShellResult(int ExitCode, string Stdout, string Stderr);

/// <summary>What CopyToRemote sends: text (StringAsset), a file (FileAsset) or a directory (FileArchive).</summary>
internal sealed record CopySource(string? Text, string? Path, bool IsDirectory);

/// <summary>Runs a step's command and copies on a remote host, the way the command provider's SSH session does.</summary>
internal interface IRemoteShell
{
    /// <summary>
    /// Runs <paramref name="command"/> in one session: <paramref name="environment"/> must reach it (the provider fails the
    /// step when sshd refuses a variable), <paramref name="optionalEnvironment"/> may be refused (PULUMI_COMMAND_STDOUT/STDERR).
    /// </summary>
    Task<ShellResult> RunAsync(
        RemoteConnection connection,
        string command,
        string? stdin,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, string> optionalEnvironment,
        CancellationToken cancellationToken);

    /// <summary>Copies <paramref name="source"/> to <paramref name="remotePath"/> over SFTP (parents created; a directory copied into).</summary>
    Task CopyAsync(RemoteConnection connection, CopySource source, string remotePath, CancellationToken cancellationToken);
}

/// <summary>Runs <c>command:local:Command</c>.</summary>
internal interface ILocalShell
{
    Task<ShellResult> RunAsync(
        IReadOnlyList<string> interpreter,
        string command,
        string? directory,
        string? stdin,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken);
}
