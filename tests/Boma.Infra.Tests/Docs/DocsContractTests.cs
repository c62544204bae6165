using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Boma.Infra.Tests.Docs;

/// <summary>
/// The docs are a contract. Every line of every doc (docs/**/*.md, the runbook template, README.md,
/// components/README.md, hosts/README.md) that says "never" or "must" is listed in Docs/testdata/contract.tsv with
/// the test method that enforces it (or a note saying why it is no rule for code); a new such sentence without an
/// entry, an entry whose sentence is gone, or a test name that does not exist fails here. Tests of this assembly
/// are named by method; tests of another test project as <c>tests/Project/File.cs:Method</c>. Which test enforces a
/// sentence is a judgement written down in the table.
/// </summary>
[TestFixture]
public sealed partial class DocsContractTests
{
    private static readonly string TablePath = Path.Combine(RepoRoot.Path, "tests", "Boma.Infra.Tests", "Docs", "testdata", "contract.tsv");

    [GeneratedRegex(@"\b(never|must)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RuleWord();

    /// <summary>Every doc that can state a rule, repository-relative with '/': found by globbing, so a new doc is covered at once.</summary>
    internal static List<string> CoveredDocs()
    {
        var docs = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "docs"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "docs"), "*.md.tmpl", SearchOption.AllDirectories))
            .Append(Path.Combine(RepoRoot.Path, "README.md"))
            .Append(Path.Combine(RepoRoot.Path, "components", "README.md"))
            .Append(Path.Combine(RepoRoot.Path, "hosts", "README.md"));
        return [.. docs.Select(d => Path.GetRelativePath(RepoRoot.Path, d).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    private static List<(string Doc, string Fragment, string Enforcer)> Table() =>
        [.. File.ReadAllLines(TablePath)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => p.Length == 3 ? (p[0], p[1], p[2]) : throw new InvalidDataException($"contract.tsv: '{string.Join("\\t", p)}' is not doc<TAB>fragment<TAB>test"))];

    [Test]
    public void Every_never_and_must_line_has_an_enforcing_test_or_a_note()
    {
        var table = Table();
        var missing = new List<string>();
        var docs = CoveredDocs();
        var rules = 0;
        foreach (var doc in docs)
        {
            var lines = File.ReadAllLines(Path.Combine(RepoRoot.Path, doc));
            for (var i = 0; i < lines.Length; i++)
            {
                if (!RuleWord().IsMatch(lines[i]))
                {
                    continue;
                }

                rules++;
                if (!table.Any(e => e.Doc == doc && lines[i].Contains(e.Fragment, StringComparison.Ordinal)))
                {
                    missing.Add($"{doc}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.That(docs, Does.Contain("docs/offsite.md").And.Contain("docs/operations/first-deploy.md").And.Contain("README.md").And.Contain("hosts/README.md"));
        Assert.That(rules, Is.GreaterThan(100), "the scan found the rule lines");
        Assert.That(missing, Is.Empty, "add these lines to tests/Boma.Infra.Tests/Docs/testdata/contract.tsv with their test");
    }

    [Test]
    public void Every_entry_names_a_line_that_exists_and_a_test_that_exists()
    {
        var tests = typeof(DocsContractTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttributes<TestAttribute>().Any() || m.GetCustomAttributes<TestCaseAttribute>().Any() || m.GetCustomAttributes<TestCaseSourceAttribute>().Any())
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);
        var table = Table();
        var docs = CoveredDocs();
        Assert.That(table, Has.Count.GreaterThan(100));
        Assert.Multiple(() =>
        {
            foreach (var (doc, fragment, enforcer) in table)
            {
                Assert.That(docs, Does.Contain(doc), $"contract.tsv names '{doc}', which is not a covered doc");
                if (!docs.Contains(doc))
                {
                    continue;
                }

                var text = File.ReadAllText(Path.Combine(RepoRoot.Path, doc));
                Assert.That(text, Does.Contain(fragment), $"{doc}: the sentence '{fragment}' is gone; update contract.tsv");
                if (enforcer.StartsWith("note: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var colon = enforcer.LastIndexOf(':');
                if (colon < 0)
                {
                    Assert.That(tests, Does.Contain(enforcer), $"{doc}: '{fragment}' names the test {enforcer}, which does not exist");
                    continue;
                }

                // A test of another project: the file holds a [Test] method of that name.
                var file = Path.Combine(RepoRoot.Path, enforcer[..colon]);
                var method = enforcer[(colon + 1)..];
                Assert.That(File.Exists(file) && Regex.IsMatch(File.ReadAllText(file), $@"\[Test[^\]]*\][^{{;]*?\b(void|Task) {Regex.Escape(method)}\("),
                    Is.True, $"{doc}: '{fragment}' names {enforcer}, which is not a [Test] method of that file");
            }
        });
    }
}
