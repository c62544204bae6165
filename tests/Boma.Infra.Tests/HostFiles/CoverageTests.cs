using Boma.Infra.Hosts;
using NUnit.Framework;
using System.Text.RegularExpressions;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>Every host file (all of hosts/ but cluster/) is rendered by some test and documented in hosts/README.md.</summary>
[TestFixture]
public sealed partial class CoverageTests
{
    // hosts/cluster/ is covered by tests/Boma.Infra.Tests/Hosts/NetbirdEnrolScriptTests.cs and ClusterInventoryRendererTests; every other directory (a new one too) is owned here.
    private const string ClusterDir = "cluster";

    [Test]
    public void Every_host_file_is_a_tested_template_or_inlined_by_one()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var template in HostSamples.Templates.Keys)
        {
            covered.Add(template);
            var text = File.ReadAllText(Path.Combine(HostTemplates.Root, template));
            foreach (Match m in IncludeRegex().Matches(text))
            {
                covered.Add(m.Groups[1].Value);
            }
        }

        var files = Directory.EnumerateFiles(HostTemplates.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(HostTemplates.Root, f).Replace('\\', '/'))
            .Where(f => f.Contains('/', StringComparison.Ordinal) && f.Split('/')[0] != ClusterDir);
        Assert.That(files, Is.Not.Empty);
        Assert.That(files.Where(f => !covered.Contains(f)), Is.Empty, "add the template with sample values to HostSamples.Templates");
    }

    [Test]
    public void Every_template_and_parameter_is_documented_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(HostTemplates.Root, "README.md"));
        var parameters = 0;
        Assert.That(HostSamples.Templates.Keys, Is.Not.Empty);
        foreach (var template in HostSamples.Templates.Keys)
        {
            Assert.That(readme, Does.Contain($"`{template}`"), template);
            foreach (var name in HostTemplates.ParameterNames(template))
            {
                Assert.That(readme, Does.Contain($"`{name}`"), $"{template}: parameter {name}");
                parameters++;
            }
        }

        // The parameter scan must find parameters at all, or the inner check is vacuous.
        Assert.That(parameters, Is.GreaterThan(0));
    }

    [Test]
    public void Samples_render_every_template()
    {
        foreach (var (template, values) in HostSamples.Templates)
        {
            Assert.That(HostTemplates.Render(template, values), Is.Not.Empty.And.Not.Contain("{{ "), template);
        }
    }

    [GeneratedRegex(@"\{\{\s*file:([A-Za-z0-9_./-]+)\s*\}\}")]
    private static partial Regex IncludeRegex();
}
