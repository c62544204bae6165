using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>Every host script, rendered with sample values, and every plain script (library, test stub) passes shellcheck.</summary>
[TestFixture]
public sealed class ShellcheckTests
{
    private static ToolResult Shellcheck(string path) =>
        HostTool.Run(HostTool.Require("shellcheck", "shellcheck"), ["--shell=bash", "--severity=style", path]);

    public static IEnumerable<string> Scripts() => HostSamples.AllScripts;

    [TestCaseSource(nameof(Scripts))]
    public void Rendered_script_passes_shellcheck(string template)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, HostTemplates.Render(template, HostSamples.Templates[template]));
            var result = Shellcheck(file);
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase("hosts/bootstrap/lib.sh")]
    [TestCase("HostFiles/stubs/boma-stub")]
    [TestCase("hosts/bootstrap/files/boma-update-status")]
    [TestCase("hosts/bootstrap/files/boma-reboot-if-required")]
    public void Plain_script_passes_shellcheck(string relative)
    {
        var result = Shellcheck(Path.Combine(AppContext.BaseDirectory, relative));
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public void Shellcheck_really_reports_problems()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "#!/usr/bin/env bash\nrm -rf $1/*\n");
            Assert.That(Shellcheck(file).ExitCode, Is.Not.Zero);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
