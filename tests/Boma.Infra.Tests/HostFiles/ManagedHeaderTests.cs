using System.Text.RegularExpressions;
using Boma.Infra.Tests.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// A host file's "Managed by boma (PATH)" header tells the operator on the machine where it comes from: PATH must be a
/// file of this repository (a script may be named without its .tmpl), and a script named there must be the one that
/// installs the file.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed partial class ManagedHeaderTests
{
    [GeneratedRegex(@"Managed by boma \((hosts/[^) ]+)")]
    private static partial Regex Header();

    private static string Repo => Tools.Repo();

    private static IEnumerable<TestCaseData> Headers() =>
        Directory.EnumerateFiles(Tools.Repo("hosts"), "*", SearchOption.AllDirectories)
            .Select(file => (File: file, Match: Header().Match(File.ReadAllText(file))))
            .Where(h => h.Match.Success)
            .Select(h => new TestCaseData(Path.GetRelativePath(Repo, h.File), h.Match.Groups[1].Value)
                .SetName($"Header of {Path.GetRelativePath(Repo, h.File)}"));

    [Test]
    public void Every_host_directory_carries_some_header() =>
        Assert.That(Headers().Count(), Is.GreaterThan(10), "the header pattern no longer finds the host files' headers");

    [TestCaseSource(nameof(Headers))]
    public void A_managed_header_names_a_repository_file_that_installs_this_one(string file, string named)
    {
        var path = Path.Combine(Repo, named);
        var existing = new[] { path, path + ".tmpl" }.FirstOrDefault(File.Exists);
        Assert.That(existing, Is.Not.Null, $"{file}: its header names {named}, which is not in the repository");
        if (existing != Path.Combine(Repo, file) && Path.GetDirectoryName(existing) != Path.GetDirectoryName(Path.Combine(Repo, file)))
        {
            // A script installs the file by its name.
            Assert.That(File.ReadAllText(existing!), Does.Contain(Path.GetFileName(file).Replace(".tmpl", "", StringComparison.Ordinal)),
                $"{file}: its header names {named}, which does not install it");
        }
    }
}
