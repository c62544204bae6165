using NUnit.Framework;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Boma.Infra.Hosts;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// A throw-away Debian-like root for running a rendered host script in test mode: BOMA_ROOT prefixes every
/// path it writes, and BOMA_STUB_BIN holds recording stubs of the service tools (see HostFiles/stubs/boma-stub),
/// so nothing on the machine running the tests changes.
/// </summary>
[SupportedOSPlatform("linux")] // Host scripts and their tools only exist on Linux.
internal sealed class ScriptSandbox : IDisposable
{
    private static readonly string[] StubbedTools =
    [
        "systemctl", "apt-get", "apt-mark", "dpkg-query", "sshd", "nft", "fail2ban-client", "docker", "dockerd", "sysctl",
        "systemd-detect-virt", "auditctl", "augenrules", "aa-enabled", "aa-status", "apparmor_parser", "aide",
    ];

    // Tools that only read and answer the same everywhere: the real ones run (ausyscall prints the syscall tables).
    private static readonly (string Tool, string Package)[] RealTools = [("ausyscall", "auditd")];

    public ScriptSandbox()
    {
        Dir = Directory.CreateTempSubdirectory("boma-host-").FullName;
        Root = Directory.CreateDirectory(Path.Combine(Dir, "root")).FullName;
        StubBin = Directory.CreateDirectory(Path.Combine(Dir, "stub-bin")).FullName;
        State = Directory.CreateDirectory(Path.Combine(Dir, "stub-state")).FullName;
        var stub = Path.Combine(AppContext.BaseDirectory, "HostFiles", "stubs", "boma-stub");
        File.SetUnixFileMode(stub, File.GetUnixFileMode(stub) | UnixFileMode.UserExecute);
        foreach (var tool in StubbedTools)
        {
            File.CreateSymbolicLink(Path.Combine(StubBin, tool), stub);
        }

        foreach (var (tool, package) in RealTools)
        {
            File.CreateSymbolicLink(Path.Combine(StubBin, tool), HostTool.Require(tool, package));
        }

        // What a fresh Debian 13 cloud image has that the scripts expect to find.
        Seed("etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Seed("etc/login.defs", "# login.defs of a fresh image (excerpt)\nMAIL_DIR\t/var/mail\nUMASK\t\t022\nUSERGROUPS_ENAB yes\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Seed("etc/hosts", "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public string Dir { get; }

    public string Root { get; }

    public string StubBin { get; }

    public string State { get; }

    public string CallsLog => Path.Combine(State, "calls.log");

    public void Seed(string relative, string content, UnixFileMode mode)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
    }

    public string ReadFile(string absolutePathOnHost) => File.ReadAllText(Path.Combine(Root, absolutePathOnHost.TrimStart('/')));

    /// <summary>Renders <paramref name="template"/> and runs it with bash in this sandbox.</summary>
    public ScriptRun Run(string template, IReadOnlyDictionary<string, string> values, string? failTool = null) => Run(template, values, failTool, null);

    /// <summary>As <see cref="Run(string, IReadOnlyDictionary{string, string}, string?)"/>, with extra environment for the stubs (BOMA_STUB_CONTAINER, BOMA_STUB_APPARMOR).</summary>
    public ScriptRun Run(string template, IReadOnlyDictionary<string, string> values, string? failTool, IReadOnlyDictionary<string, string>? stubEnv)
    {
        var script = Path.Combine(Dir, Path.GetFileName(template).Replace(".tmpl", string.Empty, StringComparison.Ordinal));
        File.WriteAllText(script, HostTemplates.Render(template, values));
        var callsBefore = File.Exists(CallsLog) ? File.ReadAllLines(CallsLog).Length : 0;
        var env = new Dictionary<string, string>
        {
            ["BOMA_ROOT"] = Root,
            ["BOMA_STUB_BIN"] = StubBin,
            ["BOMA_STUB_STATE"] = State,
            ["BOMA_STUB_FAIL"] = failTool ?? string.Empty,
        };
        foreach (var (key, value) in stubEnv ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var result = HostTool.Run(HostTool.Require("bash", "bash"), [script], env);
        var calls = File.Exists(CallsLog) ? File.ReadAllLines(CallsLog).Skip(callsBefore).ToList() : [];
        return new ScriptRun(result, calls);
    }

    /// <summary>Every file and directory under the root with its mode and content hash.</summary>
    public SortedDictionary<string, string> Snapshot() => Snapshot(Root);

    public static SortedDictionary<string, string> Snapshot(string dir)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(dir, entry);
            var mode = File.GetUnixFileMode(entry);
            tree[relative] = File.Exists(entry)
                ? $"{mode} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry)))}"
                : $"{mode} dir";
        }

        return tree;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

internal sealed record ScriptRun(ToolResult Result, IReadOnlyList<string> Calls)
{
    public IReadOnlyList<string> Lines => Result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> Changed => [.. Lines.Where(l => l.StartsWith("changed: ", StringComparison.Ordinal))];

    public IReadOnlyList<string> Unchanged => [.. Lines.Where(l => l.StartsWith("unchanged: ", StringComparison.Ordinal))];

    public override string ToString() => $"{Result}\n--- tool calls\n{string.Join('\n', Calls)}";
}
