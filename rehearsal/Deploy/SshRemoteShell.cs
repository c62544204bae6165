using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>
/// <see cref="IRemoteShell"/> over the system's OpenSSH <c>ssh</c> and <c>sftp</c>, each started behind
/// <c>commandPrefix</c> (e.g. <c>ip netns exec rehearsal-operator</c>, as the lab's hosts live in network namespaces).
/// The private key goes to a 0600 file in a 0700 temp directory, removed after each call (also on failure); host keys
/// are accepted on first sight into this shell's own known_hosts (the provider checks none unless <c>hostKey</c> is
/// set); BatchMode, no agent, no user config. Dialling is retried like the provider's dialWithRetry: up to
/// <c>dialErrorLimit</c> attempts (-1 = no limit) of <c>perDialTimeout</c> seconds each, any connection or
/// authentication failure counting as a failed dial.
/// </summary>
internal sealed partial class SshRemoteShell : IRemoteShell, IDisposable
{
    private readonly IReadOnlyList<string> _prefix;
    private readonly string _dir;

    public SshRemoteShell(IReadOnlyList<string> commandPrefix)
    {
        ArgumentNullException.ThrowIfNull(commandPrefix);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the rehearsal's SSH shell needs a Unix host");
        }

        _prefix = commandPrefix;
        _dir = Directory.CreateTempSubdirectory("boma-ssh-").FullName;
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        KnownHosts = Path.Combine(_dir, "known_hosts");
    }

    /// <summary>This run's known_hosts (host keys accepted on first connection).</summary>
    public string KnownHosts { get; }

    /// <summary>Pause between failed dials (the provider's retry loop backs off similarly).</summary>
    public TimeSpan DialPause { get; init; } = TimeSpan.FromSeconds(1);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public async Task<ShellResult> RunAsync(RemoteConnection connection, string command, string? stdin,
        IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> optionalEnvironment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(optionalEnvironment);
        var setEnv = new List<string>();
        var check = new StringBuilder();
        foreach (var (name, value) in environment)
        {
            setEnv.Add(EnvAssignment(name, value, required: true)!);
            // The provider's Setenv asks for a reply and fails the step when sshd refuses the variable (AcceptEnv);
            // OpenSSH's client does not report a refusal, so the command checks it arrived before anything runs.
            check.Append(CultureInfo.InvariantCulture, $"[ -n \"${{{name}+x}}\" ] || {{ echo 'could not set environment variable \"{name}\": sshd does not accept it (AcceptEnv)' >&2; exit 255; }}; ");
        }

        foreach (var (name, value) in optionalEnvironment)
        {
            // Previous outputs are offered; a refusal (or a value SetEnv cannot carry) is only a warning in the provider.
            if (EnvAssignment(name, value, required: false) is { } assignment)
            {
                setEnv.Add(assignment);
            }
        }

        var options = new List<string>();
        if (setEnv.Count > 0)
        {
            options.Add("-o");
            options.Add("SetEnv " + string.Join(' ', setEnv));
        }

        return await WithKeyAsync(connection, key => DialAsync(connection, key, options, check + command, stdin, cancellationToken)).ConfigureAwait(false);
    }

    public async Task CopyAsync(RemoteConnection connection, CopySource source, string remotePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(source);
        await WithKeyAsync(connection, async key =>
        {
            // Where it goes, as the provider's sftpCopy decides: into an existing directory, else to the path with its
            // parents created; a directory source not ending in '/' lands as <remotePath>/<its name>.
            var probe = await DialAsync(connection, key, [], $"if [ -d {Quote(remotePath)} ]; then echo dir; elif [ -e {Quote(remotePath)} ]; then echo file; else echo none; fi", null, cancellationToken).ConfigureAwait(false);
            if (probe.ExitCode != 0)
            {
                throw new IOException($"cannot inspect {remotePath} on {connection}: {probe.Stderr.Trim()}");
            }

            var kind = probe.Stdout.Trim();
            var batch = new StringBuilder();
            string? localTemp = null;
            try
            {
                if (source.Text is not null || !source.IsDirectory)
                {
                    var local = source.Path;
                    if (source.Text is not null)
                    {
                        if (kind == "dir")
                        {
                            throw new IOException($"remote path {remotePath} is a directory; when using a text asset, remotePath must be a file path");
                        }

                        localTemp = Path.Combine(_dir, "asset-" + Guid.NewGuid().ToString("N"));
                        await File.WriteAllTextAsync(localTemp, source.Text, cancellationToken).ConfigureAwait(false);
                        if (!OperatingSystem.IsWindows())
                        {
                            File.SetUnixFileMode(localTemp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                        }
                        local = localTemp;
                    }

                    var dest = kind == "dir" ? remotePath.TrimEnd('/') + "/" + Path.GetFileName(source.Path) : remotePath;
                    if (kind == "none")
                    {
                        await MkdirAsync(connection, key, RemoteDirName(remotePath), cancellationToken).ConfigureAwait(false);
                    }

                    batch.AppendLine(CultureInfo.InvariantCulture, $"put {BatchQuote(local!)} {BatchQuote(dest)}");
                }
                else
                {
                    var root = source.Path!;
                    var dest = root.EndsWith('/') ? remotePath : remotePath.TrimEnd('/') + "/" + Path.GetFileName(root.TrimEnd('/'));
                    await MkdirAsync(connection, key, dest, cancellationToken).ConfigureAwait(false);
                    foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    {
                        batch.AppendLine(CultureInfo.InvariantCulture, $"-mkdir {BatchQuote(dest + "/" + Path.GetRelativePath(root, dir))}");
                    }

                    foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    {
                        batch.AppendLine(CultureInfo.InvariantCulture, $"put {BatchQuote(file)} {BatchQuote(dest + "/" + Path.GetRelativePath(root, file))}");
                    }
                }

                var sftp = await SftpAsync(connection, key, batch.ToString(), cancellationToken).ConfigureAwait(false);
                if (sftp.ExitCode != 0)
                {
                    throw new IOException($"sftp to {connection} failed (exit {sftp.ExitCode}): {sftp.Stderr.Trim()}");
                }
            }
            finally
            {
                if (localTemp is not null)
                {
                    File.Delete(localTemp);
                }
            }

            return probe;
        }).ConfigureAwait(false);
    }

    private async Task MkdirAsync(RemoteConnection connection, string key, string dir, CancellationToken cancellationToken)
    {
        var made = await DialAsync(connection, key, [], $"mkdir -p -- {Quote(dir)}", null, cancellationToken).ConfigureAwait(false);
        if (made.ExitCode != 0)
        {
            throw new IOException($"failed to create parent directories for {dir}: {made.Stderr.Trim()}");
        }
    }

    private async Task<ShellResult> WithKeyAsync(RemoteConnection connection, Func<string, Task<ShellResult>> body)
    {
        if (connection.PrivateKey is null)
        {
            throw new NotSupportedException($"connection to {connection}: the rehearsal's SSH shell authenticates with privateKey only (password login cannot run in BatchMode)");
        }

        var key = Path.Combine(_dir, "key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(key, options))
            {
                var text = connection.PrivateKey.EndsWith('\n') ? connection.PrivateKey : connection.PrivateKey + "\n";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
            }

            return await body(key).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(key);
        }
    }

    private List<string> CommonOptions(RemoteConnection c, string key) =>
    [
        "-F", "/dev/null",
        "-i", key,
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=accept-new",
        "-o", $"UserKnownHostsFile={KnownHosts}",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "ConnectionAttempts=1",
        "-o", "LogLevel=ERROR",
        .. c.PerDialTimeout > 0 ? new[] { "-o", $"ConnectTimeout={c.PerDialTimeout}" } : [],
    ];

    private async Task<ShellResult> DialAsync(RemoteConnection c, string key, IReadOnlyList<string> extra, string command, string? stdin, CancellationToken cancellationToken)
    {
        List<string> args = [.. CommonOptions(c, key), .. extra, "-p", c.Port.ToString(CultureInfo.InvariantCulture), "-l", c.User, "--", c.Host, command];
        return await RetryAsync(c, "ssh", args, stdin, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ShellResult> SftpAsync(RemoteConnection c, string key, string batch, CancellationToken cancellationToken)
    {
        var host = c.Host.Contains(':', StringComparison.Ordinal) ? $"[{c.Host}]" : c.Host;
        List<string> args = [.. CommonOptions(c, key), "-P", c.Port.ToString(CultureInfo.InvariantCulture), "-b", "-", $"{c.User}@{host}"];
        return await RetryAsync(c, "sftp", args, batch, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ShellResult> RetryAsync(RemoteConnection c, string tool, List<string> args, string? stdin, CancellationToken cancellationToken)
    {
        for (var dials = 1; ; dials++)
        {
            var start = new ProcessStartInfo(_prefix.Count > 0 ? _prefix[0] : tool);
            foreach (var arg in _prefix.Skip(1).Concat(_prefix.Count > 0 ? [tool] : []).Concat(args))
            {
                start.ArgumentList.Add(arg);
            }

            var result = await ProcessRunner.RunAsync(start, stdin, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 255 || !DialFailure().IsMatch(result.Stderr))
            {
                return result;
            }

            if (c.DialErrorLimit >= 0 && dials >= c.DialErrorLimit)
            {
                throw new IOException($"after {dials} failed attempts: dial {c}: {result.Stderr.Trim()}");
            }

            await Task.Delay(DialPause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What OpenSSH prints when the connection or login failed, i.e. before any remote command ran.</summary>
    [GeneratedRegex(@"ssh: connect to host|Connection (refused|timed out|closed by|reset by)|kex_exchange_identification|Permission denied|No route to host|Network is unreachable|Could not resolve hostname|Connection timed out during banner exchange|Host key verification failed")]
    private static partial Regex DialFailure();

    /// <summary>One SetEnv item (<c>NAME="value"</c>); null for an optional value SetEnv cannot carry.</summary>
    private static string? EnvAssignment(string name, string value, bool required)
    {
        if (!ValidName().IsMatch(name) || value.Contains('"', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            return required
                ? throw new NotSupportedException($"environment variable '{name}': OpenSSH's SetEnv cannot carry this name or value (quotes, backslashes, newlines); pass it on stdin")
                : null;
        }

        return $"{name}=\"{value}\"";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ValidName();

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string BatchQuote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string RemoteDirName(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : ".") : trimmed[..slash];
    }
}
