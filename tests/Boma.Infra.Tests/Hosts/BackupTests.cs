using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Pulumi;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>
/// The restic backup of NetBird's state, end to end with the real tools: a backup of live SQLite databases
/// and config.yaml to a local test repository, a verify-only restore drill, and an applied restore that
/// brings back deleted data. Plus the systemd units through systemd-analyze.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupTests
{
    private const string ResticPassword = "restic-drill-password-marker";
    private const string StoreKey = "c3RvcmVLZXlNYXJrZXIwMTIzNDU2Nzg5YWJjZGVmMDE=";

    private string _dir = null!;
    private string _data = null!;
    private string _config = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("boma-backup-").FullName;
        _data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(_data);
        _config = Path.Combine(_dir, "config.yaml");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Env() => new()
    {
        ["RESTIC_REPOSITORY"] = Path.Combine(_dir, "repo"),
        ["RESTIC_PASSWORD"] = ResticPassword,
        ["RESTIC_CACHE_DIR"] = Path.Combine(_dir, "cache"),
        ["NB_DATA_DIR"] = _data,
        ["NB_CONFIG"] = _config,
        ["NB_BACKUP_STAGING"] = Path.Combine(_dir, "staging"),
        ["NB_STOP_CMD"] = $"touch {Path.Combine(_dir, "stopped")}",
        ["NB_START_CMD"] = $"touch {Path.Combine(_dir, "started")}",
        ["KEEP_DAILY"] = "7",
    };

    private async Task Sql(string db, string sql)
    {
        var result = await Tools.RunAsync(Tools.Require("sqlite3"), [Path.Combine(_data, db), sql]);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    private async Task<string> Query(string db, string sql) =>
        (await Tools.RunAsync(Tools.Require("sqlite3"), [Path.Combine(_data, db), sql])).Stdout.Trim();

    private Task<Tools.Result> Script(string name, params string[] args)
    {
        Tools.Require("restic");
        return Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("hosts", "netbird", "backup", name), .. args], env: Env());
    }

    private async Task SeedCoordinator(bool withKey = true)
    {
        await Sql("store.db", "CREATE TABLE peers(id TEXT PRIMARY KEY, name TEXT); INSERT INTO peers VALUES ('p1','askari'),('p2','ubongo');");
        await Sql("idp.db", "CREATE TABLE users(email TEXT); INSERT INTO users VALUES ('admin@example.org');");
        await Sql("events.db", "CREATE TABLE events(what TEXT); INSERT INTO events VALUES ('peer added');");
        await File.WriteAllTextAsync(_config, withKey
            ? $"server:\n  store:\n    engine: \"sqlite\"\n    encryptionKey: \"{StoreKey}\"\n"
            : "server:\n  store:\n    engine: \"sqlite\"\n");
    }

    [Test]
    public async Task Backup_then_restore_brings_back_the_databases_and_the_encryption_key()
    {
        await SeedCoordinator();
        var init = await Script("boma-netbird-backup.sh", "init");
        Assert.That(init.ExitCode, Is.Zero, init.Stderr);
        Assert.That((await Script("boma-netbird-backup.sh", "init")).Stderr, Does.Contain("already initialised"), "init is idempotent");

        var backup = await Script("boma-netbird-backup.sh");
        Assert.That(backup.ExitCode, Is.Zero, backup.Stderr);
        Assert.That(Directory.Exists(Path.Combine(_dir, "staging")), Is.False, "the staging copy (with secrets) is removed");

        // Lose data after the backup.
        await Sql("store.db", "DELETE FROM peers WHERE id='p2';");
        File.Delete(Path.Combine(_data, "idp.db"));
        await File.WriteAllTextAsync(_config, "server: {}\n");

        // The drill verifies and changes nothing.
        var drill = await Script("boma-netbird-restore.sh");
        Assert.That(drill.ExitCode, Is.Zero, drill.Stderr);
        Assert.That(drill.Stderr, Does.Contain("store.db: integrity ok").And.Contain("nothing changed"));
        Assert.That(await Query("store.db", "SELECT count(*) FROM peers;"), Is.EqualTo("1"));
        Assert.That(File.Exists(Path.Combine(_dir, "stopped")), Is.False);

        var apply = await Script("boma-netbird-restore.sh", "--apply", "latest");
        Assert.That(apply.ExitCode, Is.Zero, apply.Stderr);
        Assert.Multiple(async () =>
        {
            Assert.That(await Query("store.db", "SELECT group_concat(name) FROM (SELECT name FROM peers ORDER BY id);"), Is.EqualTo("askari,ubongo"));
            Assert.That(await Query("idp.db", "SELECT email FROM users;"), Is.EqualTo("admin@example.org"));
            Assert.That(await Query("events.db", "SELECT what FROM events;"), Is.EqualTo("peer added"));
            Assert.That(await File.ReadAllTextAsync(_config), Does.Contain(StoreKey));
            Assert.That(File.GetUnixFileMode(_config), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.Exists(Path.Combine(_dir, "stopped")) && File.Exists(Path.Combine(_dir, "started")), Is.True, "the server is stopped and started around the swap");
        });

        foreach (var result in new[] { init, backup, drill, apply })
        {
            Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(ResticPassword).And.Not.Contain(StoreKey));
        }
    }

    [Test]
    public async Task Credentials_from_stdin_are_stored_literally_and_the_scripts_read_them_without_a_shell()
    {
        // A password full of shell syntax: if anything sourced or evaluated it, the marker file would appear.
        var pwned = Path.Combine(_dir, "pwned");
        var password = $"p$(touch {pwned})'\"`x` \\ {ResticPassword}";
        var etc = Path.Combine(_dir, "etc-restic");
        var write = await Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("hosts", "netbird", "backup", "boma-restic-env.sh"), etc],
            $"{password}\nRESTIC_REPOSITORY={Path.Combine(_dir, "repo")}\nRESTIC_PASSWORD_FILE={Path.Combine(etc, "netbird.password")}\n\n");
        Assert.That(write.ExitCode, Is.Zero, write.Stderr);
        Assert.That(write.Stdout.Trim(), Has.Length.EqualTo(64), "only a hash is printed");
        Assert.That(write.Stdout + write.Stderr, Does.Not.Contain(ResticPassword));
        Assert.That(File.ReadAllText(Path.Combine(etc, "netbird.password")), Is.EqualTo(password));
        Assert.That(File.GetUnixFileMode(Path.Combine(etc, "netbird.password")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.Combine(etc, "netbird.env")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        // The scripts load the env file themselves (as when run by hand), then use the password file.
        await SeedCoordinator();
        var env = Env();
        env.Remove("RESTIC_REPOSITORY");
        env.Remove("RESTIC_PASSWORD");
        env["NB_RESTIC_ENV"] = Path.Combine(etc, "netbird.env");
        var bash = Tools.Require("bash");
        Tools.Require("restic");
        var backup = Tools.Repo("hosts", "netbird", "backup", "boma-netbird-backup.sh");
        Assert.That((await Tools.RunAsync(bash, [backup, "init"], env: env)).ExitCode, Is.Zero);
        var run = await Tools.RunAsync(bash, [backup], env: env);
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var drill = await Tools.RunAsync(bash, [Tools.Repo("hosts", "netbird", "backup", "boma-netbird-restore.sh")], env: env);
        Assert.That(drill.ExitCode, Is.Zero, drill.Stderr);
        Assert.That(File.Exists(pwned), Is.False, "no value was ever evaluated as shell code");
    }

    [Test]
    public async Task The_storage_box_key_from_stdin_becomes_a_0600_key_file_ssh_can_read_and_leaves_with_the_sftp_repository()
    {
        var etc = Path.Combine(_dir, "etc-restic");
        var keys = Path.Combine(_dir, "keys");
        Directory.CreateDirectory(keys);
        var keygen = await Tools.RunAsync(Tools.Require("ssh-keygen", "openssh-client"), ["-q", "-t", "ed25519", "-N", "", "-C", "askari-backup", "-f", Path.Combine(keys, "id")]);
        Assert.That(keygen.ExitCode, Is.Zero, keygen.Stderr);
        var key = File.ReadAllText(Path.Combine(keys, "id"));
        // Its base64 body must not be taken for KEY=VALUE env lines; a Windows paste's CRs are dropped.
        var bash = Tools.Require("bash");
        var script = Tools.Repo("hosts", "netbird", "backup", "boma-restic-env.sh");
        var stdin = $"pw1\nRESTIC_REPOSITORY=sftp://u@h:23//b\nRESTIC_PASSWORD_FILE=/etc/restic/netbird.password\n\n{key.Replace("\n", "\r\n", StringComparison.Ordinal)}\n";
        var write = await Tools.RunAsync(bash, [script, etc], stdin);
        Assert.That(write.ExitCode, Is.Zero, write.Stderr);
        Assert.That(write.Stdout.Trim(), Has.Length.EqualTo(64), "only a hash is printed");
        Assert.That(write.Stdout + write.Stderr, Does.Not.Contain(key.Split('\n')[1]));
        var file = Path.Combine(etc, "netbird.ssh-key");
        Assert.That(File.ReadAllText(file), Is.EqualTo(key));
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllText(Path.Combine(etc, "netbird.env")), Is.EqualTo("RESTIC_REPOSITORY=sftp://u@h:23//b\nRESTIC_PASSWORD_FILE=/etc/restic/netbird.password\n"));
        var pub = await Tools.RunAsync(Tools.Require("ssh-keygen", "openssh-client"), ["-y", "-f", file]);
        Assert.That(pub.Stdout.Trim(), Is.EqualTo(File.ReadAllText(Path.Combine(keys, "id.pub")).Trim().Replace(" askari-backup", "", StringComparison.Ordinal)).Or.EqualTo(File.ReadAllText(Path.Combine(keys, "id.pub")).Trim()));

        // Same input: same trigger hash. A changed key: another hash (backup-enable re-runs).
        Assert.That((await Tools.RunAsync(bash, [script, etc], stdin)).Stdout, Is.EqualTo(write.Stdout));
        var other = await Tools.RunAsync(bash, [script, etc], stdin.Replace(key.Split('\n')[1], key.Split('\n')[1][..^4] + "AAAA", StringComparison.Ordinal));
        Assert.That(other.Stdout, Is.Not.EqualTo(write.Stdout));

        // A key without its END line is refused and the old files stay; text after the key too.
        var cut = await Tools.RunAsync(bash, [script, etc], $"pw2\nRESTIC_REPOSITORY=sftp://u@h:23//b\n{key[..key.IndexOf("-----END", StringComparison.Ordinal)]}");
        Assert.That(cut.ExitCode, Is.Not.Zero);
        Assert.That(cut.Stderr, Does.Contain("no -----END line").And.Contain("boma:backupSshKey"));
        var trailing = await Tools.RunAsync(bash, [script, etc], $"pw2\nRESTIC_REPOSITORY=sftp://u@h:23//b\n{key}X=1\n");
        Assert.That(trailing.ExitCode, Is.Not.Zero);
        Assert.That(File.ReadAllText(Path.Combine(etc, "netbird.password")), Is.EqualTo("pw1"));
        Assert.That(Directory.GetFiles(etc).Where(f => f.EndsWith(".new", StringComparison.Ordinal)), Is.Empty);

        // Another backend: no key block, and the old key file goes.
        var s3 = await Tools.RunAsync(bash, [script, etc], "pw1\nRESTIC_REPOSITORY=s3:s3.example.org/b\n");
        Assert.That(s3.ExitCode, Is.Zero, s3.Stderr);
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public async Task The_ssh_drop_in_gives_roots_ssh_the_key_and_only_the_configured_host_key_for_the_box_alone()
    {
        var config = ValidBackup();
        var files = Backup.RenderFiles(config);
        Assert.That(files[$"boma-restic-known-hosts"], Is.EqualTo(ValidConfig.StorageBoxKnownHosts + "\n"));
        var conf = Path.Combine(_dir, "boma-restic.conf");
        File.WriteAllText(conf, files["boma-restic-ssh.conf"]);
        var ssh = Tools.Require("ssh", "openssh-client");
        // ssh -G evaluates the file as ssh would for this destination (restic runs `ssh -p 23 -l u1 HOST -s sftp`).
        var box = await Tools.RunAsync(ssh, ["-G", "-F", conf, "-p", "23", "-l", "u1", "backup.example.org"]);
        Assert.That(box.ExitCode, Is.Zero, box.Stderr);
        var options = box.Stdout.Split('\n').Select(l => l.Trim()).ToHashSet();
        Assert.That(options, Is.SupersetOf(new[]
        {
            $"identityfile {Backup.SshKeyPath}", "identitiesonly yes", $"userknownhostsfile {Backup.KnownHostsPath}",
            "globalknownhostsfile /dev/null", "stricthostkeychecking true", "batchmode yes", "passwordauthentication no", "port 23", "user u1",
        }));
        var elsewhere = await Tools.RunAsync(ssh, ["-G", "-F", conf, "other.example.org"]);
        Assert.That(elsewhere.Stdout, Does.Not.Contain(Backup.SshKeyPath).And.Not.Contain(Backup.KnownHostsPath));
        // Debian's ssh_config reads the drop-in directory first, so the drop-in's values win over its defaults.
        if (File.Exists("/etc/ssh/ssh_config"))
        {
            Assert.That(File.ReadLines("/etc/ssh/ssh_config").SkipWhile(l => l.TrimStart().StartsWith('#') || l.Trim().Length == 0).FirstOrDefault(),
                Is.EqualTo("Include /etc/ssh/ssh_config.d/*.conf"));
        }
    }

    private static BackupConfig ValidBackup()
    {
        var values = ValidConfig.Values();
        return NetbirdSettings.Load(new Boma.Infra.Tests.Config.DictionaryConfigSource(values, ValidConfig.SecretKeys()), "example.org").Backup;
    }

    [Test]
    public async Task Restic_env_refuses_a_malformed_env_line_and_keeps_the_old_files()
    {
        var etc = Path.Combine(_dir, "etc-restic");
        var script = Tools.Repo("hosts", "netbird", "backup", "boma-restic-env.sh");
        Assert.That((await Tools.RunAsync(Tools.Require("bash"), [script, etc], "pw1\nRESTIC_REPOSITORY=sftp://u@h//b\n")).ExitCode, Is.Zero);
        var bad = await Tools.RunAsync(Tools.Require("bash"), [script, etc], "pw2\nRESTIC_REPOSITORY=sftp://u@h//b\nnot a kv line\n");
        Assert.That(bad.ExitCode, Is.Not.Zero);
        Assert.That(bad.Stderr, Does.Contain("boma:backupEnv"));
        Assert.That(File.ReadAllText(Path.Combine(etc, "netbird.password")), Is.EqualTo("pw1"));
    }

    [Test]
    public async Task Restic_env_run_twice_changes_nothing_and_refuses_an_empty_password()
    {
        var etc = Path.Combine(_dir, "etc-restic");
        var script = Tools.Repo("hosts", "netbird", "backup", "boma-restic-env.sh");
        var bash = Tools.Require("bash");
        const string Stdin = "pw1\nRESTIC_REPOSITORY=sftp://u@h//b\n";
        var first = await Tools.RunAsync(bash, [script, etc], Stdin);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var files = Directory.GetFiles(etc).Order(StringComparer.Ordinal).ToDictionary(f => f, File.ReadAllBytes);

        // Same credentials: same trigger hash (no re-enable on every `up`), same files, nothing left over.
        var second = await Tools.RunAsync(bash, [script, etc], Stdin);
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);
        Assert.That(second.Stdout, Is.EqualTo(first.Stdout));
        Assert.That(Directory.GetFiles(etc).Order(StringComparer.Ordinal).ToDictionary(f => f, File.ReadAllBytes), Is.EqualTo(files));

        // No password on line 1: refused with the reason, the old credentials stay.
        var empty = await Tools.RunAsync(bash, [script, etc], "\nRESTIC_REPOSITORY=sftp://u@h//b\n");
        Assert.That(empty.ExitCode, Is.Not.Zero);
        Assert.That(empty.Stderr, Does.Contain("no password on the first stdin line"));
        Assert.That(File.ReadAllText(Path.Combine(etc, "netbird.password")), Is.EqualTo("pw1"));
    }

    [Test]
    public async Task Retention_keeps_the_configured_number_of_snapshots()
    {
        await SeedCoordinator();
        Assert.That((await Script("boma-netbird-backup.sh", "init")).ExitCode, Is.Zero);
        for (var i = 0; i < 3; i++)
        {
            var run = await Script("boma-netbird-backup.sh");
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        }

        var snapshots = await Tools.RunAsync(Tools.Require("restic"), ["snapshots", "--json"], env: Env());
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(snapshots.Stdout)!.AsArray(), Has.Count.EqualTo(1),
            "three backups on one day collapse to the one daily snapshot --keep-daily keeps");
    }

    [Test]
    public async Task A_snapshot_without_the_encryption_key_is_refused_by_the_restore()
    {
        await SeedCoordinator(withKey: false);
        Assert.That((await Script("boma-netbird-backup.sh", "init")).ExitCode, Is.Zero);
        Assert.That((await Script("boma-netbird-backup.sh")).ExitCode, Is.Zero);
        var drill = await Script("boma-netbird-restore.sh");
        Assert.That(drill.ExitCode, Is.Not.Zero);
        Assert.That(drill.Stderr, Does.Contain("no store encryption key"));
    }

    [Test]
    public async Task Backup_without_a_store_fails_with_the_path()
    {
        var result = await Script("boma-netbird-backup.sh");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("no store.db in " + _data));
    }

    private static BackupConfig Config(string schedule = "daily") => new()
    {
        Enabled = true,
        Repository = "sftp://u1@backup.example.org:23//boma",
        Schedule = schedule,
        KeepDaily = 7,
        KeepWeekly = 4,
        KeepMonthly = 6,
        Password = Output.CreateSecret("x"),
        BackendEnv = Output.CreateSecret(string.Empty),
    };

    private async Task<Tools.Result> Verify(IReadOnlyDictionary<string, string> files)
    {
        var analyze = Tools.Require("systemd-analyze", "systemd");
        var units = Path.Combine(_dir, "units");
        Directory.CreateDirectory(units);
        foreach (var name in new[] { "boma-netbird-backup.service", "boma-netbird-backup.timer" })
        {
            await File.WriteAllTextAsync(Path.Combine(units, name), files[name]);
        }

        return await Tools.RunAsync(analyze, ["verify", "--man=no",
            Path.Combine(units, "boma-netbird-backup.service"), Path.Combine(units, "boma-netbird-backup.timer")], workDir: units);
    }

    [Test]
    public async Task The_units_pass_systemd_analyze_verify()
    {
        var script = Path.Combine(_dir, "boma-netbird-backup");
        File.Copy(Tools.Repo("hosts", "netbird", "backup", "boma-netbird-backup.sh"), script);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var files = Backup.RenderFiles(Config(), script);

        var result = await Verify(files);
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        Assert.That(result.Stderr, Does.Not.Contain(Path.GetFileName(script) + ":"), result.Stderr);
        Assert.That(files["boma-netbird-backup.service"], Does.Contain("EnvironmentFile=/etc/restic/netbird.env").And.Contain("KEEP_DAILY=7"));
        Assert.That(files["boma-netbird-backup.timer"], Does.Contain("OnCalendar=daily").And.Contain("Persistent=true"));

        // The check can fail: a unit pointing at a missing script is rejected.
        var broken = await Verify(Backup.RenderFiles(Config(), Path.Combine(_dir, "missing-script")));
        Assert.That(broken.ExitCode, Is.Not.Zero, "systemd-analyze must reject a unit whose ExecStart does not exist");
    }

    [TestCase("daily", true)]
    [TestCase("*-*-* 03:30:00", true)]
    [TestCase("Mon..Fri 02:00", true)]
    [TestCase("every day", false)]
    public async Task The_schedule_is_a_calendar_expression_systemd_accepts(string schedule, bool valid)
    {
        var result = await Tools.RunAsync(Tools.Require("systemd-analyze", "systemd"), ["calendar", schedule]);
        Assert.That(result.ExitCode == 0, Is.EqualTo(valid), result.Stdout + result.Stderr);
    }

    // "A consistent SQLite snapshot" (docs/design/netbird.md, "Data to back up"): while the server holds the database open in WAL mode, the newest
    // committed rows live only in store.db-wal. A file copy of store.db would lose them; the backup must not.
    [Test]
    public async Task Rows_still_in_the_write_ahead_log_of_an_open_database_are_in_the_backup()
    {
        await SeedCoordinator();
        var python = Tools.Require("python3");
        var writer = new System.Diagnostics.ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        writer.ArgumentList.Add("-c");
        writer.ArgumentList.Add(
            "import sqlite3, sys\n" +
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n" +
            "c.execute('PRAGMA journal_mode=WAL')\n" +
            "c.execute('PRAGMA wal_autocheckpoint=0')\n" +
            "c.execute(\"INSERT INTO peers VALUES ('p3','laptop')\")\n" +
            "print('ready', flush=True)\n" +
            "sys.stdin.read()\n" +
            "c.close()\n");
        writer.ArgumentList.Add(Path.Combine(_data, "store.db"));

        Tools.Result backup;
        using (var server = System.Diagnostics.Process.Start(writer)!)
        {
            Assert.That(await server.StandardOutput.ReadLineAsync(), Is.EqualTo("ready"));

            // The row is only in the WAL: a plain copy of the main file does not have it.
            var copy = Path.Combine(_dir, "plain-copy.db");
            File.Copy(Path.Combine(_data, "store.db"), copy);
            var plain = await Tools.RunAsync(Tools.Require("sqlite3"), [copy, "SELECT count(*) FROM peers;"]);
            Assert.That(plain.Stdout.Trim(), Is.EqualTo("2"), "the test needs the new row to be in the WAL only");
            File.Delete(copy);

            Assert.That((await Script("boma-netbird-backup.sh", "init")).ExitCode, Is.Zero);
            backup = await Script("boma-netbird-backup.sh");

            server.StandardInput.Close();
            await server.WaitForExitAsync();
        }

        Assert.That(backup.ExitCode, Is.Zero, backup.Stderr);
        await Sql("store.db", "DELETE FROM peers;");
        var apply = await Script("boma-netbird-restore.sh", "--apply", "latest");
        Assert.That(apply.ExitCode, Is.Zero, apply.Stderr);
        Assert.That(await Query("store.db", "SELECT group_concat(id) FROM (SELECT id FROM peers ORDER BY id);"), Is.EqualTo("p1,p2,p3"));
    }
}
