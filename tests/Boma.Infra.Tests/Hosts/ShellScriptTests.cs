using NUnit.Framework;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>Every shell script this area ships passes shellcheck (following sourced files).</summary>
[TestFixture]
public sealed class ShellScriptTests
{
    private static readonly string[] Dirs = ["hosts/netbird-api", "hosts/netbird", "hosts/caddy", "hosts/compose"];

    public static IEnumerable<string> Scripts() =>
        Dirs
            .Select(d => Path.Combine(Tools.RepoRoot, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.sh", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(Tools.RepoRoot, p))
            .Order(StringComparer.Ordinal);

    [Test]
    public void There_are_scripts_to_check() => Assert.That(Scripts().Count(), Is.GreaterThanOrEqualTo(6));

    [TestCaseSource(nameof(Scripts))]
    public async Task Script_passes_shellcheck(string script)
    {
        var shellcheck = Tools.Require("shellcheck");
        var dir = Path.GetDirectoryName(Tools.Repo(script))!;
        var result = await Tools.RunAsync(shellcheck, ["-x", "--severity=style", Path.GetFileName(script)], workDir: dir);
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
    }
}
