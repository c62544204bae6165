using System.Diagnostics;
using NUnit.Framework;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>
/// rehearsal/lab/lab.sh preflight: what the machine lacks is one line naming it and how to get it, exit 2, and
/// nothing is made (no namespace, no cache directory). Runs the real script with a PATH or user that lacks the thing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class PreflightTests
{
    private static readonly string[] BinDirs = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"];

    private static string Script => Path.Combine(Docs.RepoRoot.Path, "rehearsal", "lab", "lab.sh");

    private static (int Exit, string Stderr) Run(IEnumerable<string> prefix, Dictionary<string, string> env, string? script = null)
    {
        var info = new ProcessStartInfo(prefix.First()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (script is not null)
        {
            info.WorkingDirectory = Path.GetDirectoryName(script)!;
        }

        foreach (var a in prefix.Skip(1).Concat(["bash", script ?? Script, "preflight"]))
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }

        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stderr);
    }

    /// <summary>A PATH holding links to every tool preflight and bash need except <paramref name="missing"/>.</summary>
    private static string PathWithout(string dir, string missing)
    {
        foreach (var tool in new[] { "bash", "id", "df", "awk", "ip", "grep", "mkdir", "dirname", "sed", "socat", "nmap", "dnsmasq", "ssh", "sshd", "openssl", "python3", "curl", "systemd-nspawn", "debootstrap", "cat" })
        {
            if (tool == missing)
            {
                continue;
            }

            var found = BinDirs.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
            if (found is not null)
            {
                File.CreateSymbolicLink(Path.Combine(dir, tool), found);
            }
        }

        return dir;
    }

    [TestCase("systemd-nspawn", "systemd-nspawn is missing: apt-get install systemd-container")]
    [TestCase("debootstrap", "debootstrap is missing: apt-get install debootstrap")]
    [TestCase("socat", "socat is missing: apt-get install socat")]
    public void A_missing_tool_is_one_line_naming_it_and_its_package_with_exit_2(string tool, string line)
    {
        var dir = Directory.CreateTempSubdirectory("boma-preflight-");
        var cache = Path.Combine(dir.FullName, "cache");
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "bin")).FullName;
            var env = new Dictionary<string, string> { ["PATH"] = PathWithout(bin, tool), ["BOMA_REHEARSAL_CACHE"] = cache };
            // /usr/sbin/sshd is looked up by path too: only meaningful where it is installed (.ci/apt-packages.txt).
            var (exit, stderr) = Run(["env"], env);

            Assert.That(exit, Is.EqualTo(2), stderr);
            Assert.That(stderr.Trim(), Is.EqualTo($"rehearsal: {line}"));
            Assert.That(Directory.Exists(cache), Is.False, "nothing is made");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Not_root_is_one_line_saying_sudo_with_exit_2()
    {
        // As root (CI), drop to nobody for this one run; a developer without root already is not root. nobody may
        // not be able to read the checkout (a clone in a 0700 directory), so it runs a copy in a readable directory.
        string[] prefix = Environment.IsPrivilegedProcess ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : ["env"];
        var dir = Directory.CreateTempSubdirectory("boma-preflight-");
        try
        {
            File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var copy = Path.Combine(dir.FullName, "lab.sh");
            File.Copy(Script, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var (exit, stderr) = Run(prefix, [], copy);

            Assert.That(exit, Is.EqualTo(2), stderr);
            Assert.That(stderr.Trim(), Is.EqualTo("rehearsal: must run as root (namespaces, systemd-nspawn): run it with sudo"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Too_little_disk_space_is_one_line_with_the_figures_and_exit_2()
    {
        var dir = Directory.CreateTempSubdirectory("boma-preflight-");
        try
        {
            var (exit, stderr) = Run(["env"], new Dictionary<string, string> { ["BOMA_REHEARSAL_CACHE"] = dir.FullName, ["BOMA_REHEARSAL_NEED_MB"] = "999999999" });

            Assert.That(exit, Is.EqualTo(2), stderr);
            Assert.That(stderr.Trim(), Does.Match(@"^rehearsal: only \d+ MB free under .*; the rehearsal needs 999999999 MB \(free some space or set BOMA_REHEARSAL_CACHE\)$"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
