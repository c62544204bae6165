using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Boma.Infra.Tests.Docs;

/// <summary>
/// The docs are a contract. Every line of the covered docs that says "never" or "must" is listed in
/// Docs/testdata/contract.tsv with the test method that enforces it (or a note saying why it is no rule for
/// code); a new such sentence without an entry, an entry whose sentence is gone, or a test name that does not
/// exist fails here. Which test enforces a sentence is a judgement written down in the table.
/// </summary>
[TestFixture]
public sealed partial class DocsContractTests
{
    private static readonly string[] Covered = ["offsite.md", "cluster.md", "guard.md", "invariants.md", "netbird.md"];

    private static readonly string TablePath = Path.Combine(RepoRoot.Path, "tests", "Boma.Infra.Tests", "Docs", "testdata", "contract.tsv");

    [GeneratedRegex(@"\b(never|must)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RuleWord();

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
        foreach (var doc in Covered)
        {
            var lines = File.ReadAllLines(Path.Combine(RepoRoot.Path, "docs", doc));
            for (var i = 0; i < lines.Length; i++)
            {
                if (RuleWord().IsMatch(lines[i]) && !table.Any(e => e.Doc == doc && lines[i].Contains(e.Fragment, StringComparison.Ordinal)))
                {
                    missing.Add($"{doc}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

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
        Assert.That(table, Has.Count.GreaterThan(30));
        Assert.Multiple(() =>
        {
            foreach (var (doc, fragment, enforcer) in table)
            {
                var text = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", doc));
                Assert.That(text, Does.Contain(fragment), $"{doc}: the sentence '{fragment}' is gone; update contract.tsv");
                if (!enforcer.StartsWith("note: ", StringComparison.Ordinal))
                {
                    Assert.That(tests, Does.Contain(enforcer), $"{doc}: '{fragment}' names the test {enforcer}, which does not exist");
                }
            }
        });
    }
}
