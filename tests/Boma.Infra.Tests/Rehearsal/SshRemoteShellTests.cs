using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Boma.Infra.Rehearsal.Deploy;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>
/// <see cref="SshRemoteShell"/> against Debian's real sshd (openssh-server, .ci/apt-packages.txt) on 127.0.0.1 with a
/// throw-away config, host key and client key, and an empty command prefix (no network namespace needed).
/// </summary>
[NonParallelizable]
public sealed class SshRemoteShellTests
{
    private string _dir = "";
    private Process? _sshd;
    private int _port;
    private string _clientKey = "";

    [OneTimeSetUp]
    public async Task StartSshd()
    {
        const string sshd = "/usr/sbin/sshd";
        Assert.That(File.Exists(sshd), Is.True, "sshd is missing: apt-get install openssh-server (listed in .ci/apt-packages.txt)");
        _dir = Directory.CreateTempSubdirectory("boma-sshd-test-").FullName;
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(_dir, "host_key"));
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "boma-test", "-f", Path.Combine(_dir, "client_key"));
        File.Copy(Path.Combine(_dir, "client_key.pub"), Path.Combine(_dir, "authorized_keys"));
        _clientKey = await File.ReadAllTextAsync(Path.Combine(_dir, "client_key"));
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var config = Path.Combine(_dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {_port}
            ListenAddress 127.0.0.1
            HostKey {_dir}/host_key
            PidFile {_dir}/sshd.pid
            AuthorizedKeysFile {_dir}/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            AcceptEnv BOMA_*
            Subsystem sftp internal-sftp

            """);
        // sshd wants its privilege-separation directory; Debian's package normally creates it at boot.
        Directory.CreateDirectory("/run/sshd");
        _sshd = Process.Start(new ProcessStartInfo(sshd) { ArgumentList = { "-D", "-e", "-f", config }, RedirectStandardError = true })!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException)
            {
                Assert.That(_sshd.HasExited, Is.False, () => "sshd exited: " + _sshd.StandardError.ReadToEnd());
                await Task.Delay(50);
            }
        }

        Assert.Fail("sshd did not start listening");
    }

    [OneTimeTearDown]
    public void StopSshd()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill();
            _sshd.WaitForExit();
        }

        _sshd?.Dispose();
        if (_dir.Length > 0)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private RemoteConnection Connection(int? port = null, int dialErrorLimit = 10) =>
        new("127.0.0.1", port ?? _port, Environment.UserName, _clientKey, null, dialErrorLimit, 5);

    [Test]
    public async Task Runs_a_command_with_stdin_and_environment_and_returns_its_exit_and_output()
    {
        using var shell = new SshRemoteShell([]);
        var result = await shell.RunAsync(Connection(),
            "cat; printf '%s\\n' \"$BOMA_GREETING\" \"${PULUMI_COMMAND_STDOUT:-no previous}\"; echo to-stderr >&2; exit 3",
            "line one\nline two\n",
            new Dictionary<string, string> { ["BOMA_GREETING"] = "hello there" },
            new Dictionary<string, string> { ["PULUMI_COMMAND_STDOUT"] = "refused by AcceptEnv" },
            CancellationToken.None);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Stdout, Is.EqualTo("line one\nline two\nhello there\nno previous\n"), "an optional variable sshd refuses is simply absent");
        Assert.That(result.Stderr, Does.Contain("to-stderr"));
        Assert.That(File.ReadAllText(shell.KnownHosts), Does.Contain($"[127.0.0.1]:{_port}"), "the host key was accepted into this run's known_hosts");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(shell.KnownHosts)!, "key-*"), Is.Empty, "the private key file is gone after the call");
    }

    [Test]
    public async Task A_variable_sshd_refuses_fails_the_step_before_the_command_runs()
    {
        using var shell = new SshRemoteShell([]);
        var marker = Path.Combine(_dir, "ran-" + Guid.NewGuid().ToString("N"));
        var result = await shell.RunAsync(Connection(), $"touch {marker}", null,
            new Dictionary<string, string> { ["NOT_ACCEPTED"] = "x" }, new Dictionary<string, string>(), CancellationToken.None);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("could not set environment variable \"NOT_ACCEPTED\""));
        Assert.That(File.Exists(marker), Is.False);
    }

    [Test]
    public async Task Copies_text_a_file_and_a_directory_as_CopyToRemote_does()
    {
        using var shell = new SshRemoteShell([]);
        var remote = Path.Combine(_dir, "remote-" + Guid.NewGuid().ToString("N"));

        // A text asset to a path whose parents do not exist yet.
        await shell.CopyAsync(Connection(), new CopySource("compose: text\n", null, false), $"{remote}/stage/netbird/compose.yaml", CancellationToken.None);
        Assert.That(File.ReadAllText($"{remote}/stage/netbird/compose.yaml"), Is.EqualTo("compose: text\n"));

        // A file into an existing directory lands under its own name.
        var local = Path.Combine(_dir, "local-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(local, "tree", "sub"));
        File.WriteAllText(Path.Combine(local, "single.txt"), "single\n");
        File.WriteAllText(Path.Combine(local, "tree", "top.txt"), "top\n");
        File.WriteAllText(Path.Combine(local, "tree", "sub", "deep.txt"), "deep\n");
        await shell.CopyAsync(Connection(), new CopySource(null, Path.Combine(local, "single.txt"), false), $"{remote}/stage", CancellationToken.None);
        Assert.That(File.ReadAllText($"{remote}/stage/single.txt"), Is.EqualTo("single\n"));

        // A directory (path without a trailing slash) lands as <remotePath>/<its name>, subdirectories included.
        await shell.CopyAsync(Connection(), new CopySource(null, Path.Combine(local, "tree"), true), $"{remote}/archive", CancellationToken.None);
        Assert.That(File.ReadAllText($"{remote}/archive/tree/top.txt"), Is.EqualTo("top\n"));
        Assert.That(File.ReadAllText($"{remote}/archive/tree/sub/deep.txt"), Is.EqualTo("deep\n"));

        // Text onto an existing directory is refused, as the provider refuses it.
        Assert.ThrowsAsync<IOException>(() => shell.CopyAsync(Connection(), new CopySource("x", null, false), $"{remote}/stage", CancellationToken.None));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(shell.KnownHosts)!, "key-*"), Is.Empty);
    }

    [Test]
    public async Task Dialling_a_closed_port_gives_up_after_dialErrorLimit_attempts()
    {
        int closed;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var shell = new SshRemoteShell([]) { DialPause = TimeSpan.Zero };
        var error = Assert.ThrowsAsync<IOException>(() => shell.RunAsync(Connection(closed, dialErrorLimit: 3), "true", null,
            new Dictionary<string, string>(), new Dictionary<string, string>(), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("after 3 failed attempts").And.Contain("Connection refused"));
        Assert.That(error.Message, Does.Not.Contain("OPENSSH PRIVATE KEY"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(shell.KnownHosts)!, "key-*"), Is.Empty, "removed on failure too");
        await Task.CompletedTask;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        await p.WaitForExitAsync();
        Assert.That(p.ExitCode, Is.Zero, $"{file} failed");
    }
}
