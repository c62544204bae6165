using System.Runtime.Versioning;
using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// The restic backup: the installed script really backs up SQLite databases with the real sqlite3 and restic
/// (into a local repository in a temp dir) and the snapshot restores; the units pass systemd-analyze.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)] // Independent temp dirs; the external tools dominate the run time.
[SupportedOSPlatform("linux")]
public sealed class BackupTests
{
    private static readonly string[] BackedUp = ["store.db", "idp.db", "events.db", "config.yaml"];

    private const string DataDir = "/var/lib/docker/volumes/netbird_netbird_data/_data";

    private static ToolResult Sqlite(string db, string sql) => HostTool.Run(HostTool.Require("sqlite3", "sqlite3"), [db, sql]);

    [Test]
    public void Installed_script_backs_up_the_databases_and_config_and_they_restore()
    {
        var restic = HostTool.Require("restic", "restic");
        using var box = new ScriptSandbox();
        var install = box.Run("backup/install.sh.tmpl", HostSamples.BackupInstall);
        Assert.That(install.Result.ExitCode, Is.Zero, install.ToString());

        // A NetBird data volume with live databases, and the deployed config.yaml.
        var data = Path.Combine(box.Root, DataDir.TrimStart('/'));
        Directory.CreateDirectory(data);
        foreach (var db in new[] { "store.db", "idp.db", "events.db" })
        {
            var created = Sqlite(Path.Combine(data, db), $"CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('{db} row');");
            Assert.That(created.ExitCode, Is.Zero, created.ToString());
        }

        box.Seed("srv/boma/netbird/config/config.yaml", "server:\n  exposedAddress: x\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var env = new Dictionary<string, string>
        {
            ["BOMA_ROOT"] = box.Root,
            ["RESTIC_REPOSITORY"] = Path.Combine(box.Dir, "repo"),
            ["RESTIC_PASSWORD"] = HostSamples.ResticPassword,
            ["RESTIC_CACHE_DIR"] = Path.Combine(box.Dir, "cache"),
        };
        var init = HostTool.Run(restic, ["init"], env);
        Assert.That(init.ExitCode, Is.Zero, init.ToString());

        var script = Path.Combine(box.Root, "usr/local/sbin/boma-netbird-backup");
        Assert.That(File.GetUnixFileMode(script) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
        var backup = HostTool.Run(script, [], env);
        Assert.That(backup.ExitCode, Is.Zero, backup.ToString());
        Assert.That(backup.Stdout, Does.Contain("copied: store.db").And.Contain("copied: idp.db").And.Contain("copied: events.db"));
        Assert.That(backup.Stdout + backup.Stderr, Does.Not.Contain(HostSamples.ResticPassword));

        Assert.That(Directory.Exists(Path.Combine(box.Root, "var/lib/boma/netbird-backup")), Is.False, "the staging copy is removed");

        var target = Path.Combine(box.Dir, "restore");
        var restore = HostTool.Run(restic, ["restore", "latest", "--target", target], env);
        Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
        var restored = Directory.GetFiles(target, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetFileName(f), f => f);
        Assert.That(restored.Keys, Is.EquivalentTo(BackedUp));
        Assert.That(Sqlite(restored["store.db"], "PRAGMA integrity_check;").Stdout.Trim(), Is.EqualTo("ok"));
        Assert.That(Sqlite(restored["store.db"], "SELECT v FROM t;").Stdout.Trim(), Is.EqualTo("store.db row"));
        Assert.That(File.ReadAllText(restored["config.yaml"]), Does.Contain("exposedAddress"));
    }

    [Test]
    public void Install_writes_a_private_env_file_and_never_prints_the_password()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("backup/install.sh.tmpl", HostSamples.BackupInstall);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        var envFile = Path.Combine(box.Root, "etc/boma/restic-netbird.env");
        Assert.That(File.GetUnixFileMode(envFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllLines(envFile), Is.EqualTo(new[]
        {
            "RESTIC_REPOSITORY='sftp://u123@u123.your-storagebox.de:23//askari'",
            $"RESTIC_PASSWORD='{HostSamples.ResticPassword}'",
        }));
        Assert.That(run.Result.Stdout + run.Result.Stderr, Does.Not.Contain(HostSamples.ResticPassword));
        Assert.That(run.Calls, Has.Some.StartsWith("restic init"));
        Assert.That(run.Calls, Has.Some.EqualTo("systemctl enable boma-netbird-backup.timer"));
    }

    [Test]
    public void Install_refuses_to_run_without_the_repository_password()
    {
        using var box = new ScriptSandbox();
        var env = new Dictionary<string, string> { ["RESTIC_REPOSITORY"] = "/srv/repo" };
        var run = box.Run("backup/install.sh.tmpl", HostSamples.BackupInstall, environment: env);
        Assert.That(run.Result.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(run.Result.Stderr, Does.Contain("RESTIC_PASSWORD is not set"));
    }

    [Test]
    public void Units_pass_systemd_analyze_verify_in_the_installed_tree()
    {
        var analyze = HostTool.Require("systemd-analyze", "systemd");
        using var box = new ScriptSandbox();
        Assert.That(box.Run("backup/install.sh.tmpl", HostSamples.BackupInstall).Result.ExitCode, Is.Zero);

        // verify --root resolves units and ExecStart= inside the sandbox; it needs the distribution's own units
        // there (sysinit.target, timers.target, ...), so they are copied in.
        Directory.CreateDirectory(Path.Combine(box.Root, "usr/lib/systemd"));
        var copy = HostTool.Run(HostTool.Require("cp", "coreutils"), ["-r", "/usr/lib/systemd/system", Path.Combine(box.Root, "usr/lib/systemd/")]);
        Assert.That(copy.ExitCode, Is.Zero, copy.ToString());
        File.CreateSymbolicLink(Path.Combine(box.Root, "lib"), "usr/lib");

        var verify = HostTool.Run(analyze, ["verify", $"--root={box.Root}", "boma-netbird-backup.service", "boma-netbird-backup.timer"]);
        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
        Assert.That(verify.Stderr, Does.Not.Contain("boma-netbird-backup"), verify.ToString());

        File.Delete(Path.Combine(box.Root, "usr/local/sbin/boma-netbird-backup"));
        var missing = HostTool.Run(analyze, ["verify", $"--root={box.Root}", "boma-netbird-backup.service"]);
        Assert.That(missing.ExitCode, Is.Not.Zero, "verify must notice a missing ExecStart binary\n" + missing);
    }

    [Test]
    public void Timer_calendar_expression_is_understood_by_systemd()
    {
        var timer = HostTemplates.Render("backup/boma-netbird-backup.timer.tmpl", new Dictionary<string, string> { ["backup_on_calendar"] = "*-*-* 03:30:00" });
        var onCalendar = timer.Split('\n').Single(l => l.StartsWith("OnCalendar=", StringComparison.Ordinal))["OnCalendar=".Length..];
        var result = HostTool.Run(HostTool.Require("systemd-analyze", "systemd"), ["calendar", onCalendar]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Normalized form: *-*-* 03:30:00"));
        Assert.That(HostTool.Run(HostTool.Require("systemd-analyze", "systemd"), ["calendar", "every tuesday-ish"]).ExitCode, Is.Not.Zero);
    }
}
