using System.Text;
using System.Text.RegularExpressions;
using Boma.Infra.Cli;
using NUnit.Framework;

namespace Boma.Infra.Tests.Cli;

/// <summary>The `dotnet run -- guard …` examples in docs/guard.md run as written and exit as their comments say.</summary>
[TestFixture]
public partial class GuardDocsTests
{
    [GeneratedRegex(@"#\s*exit\s+(\d+)\s*$")]
    private static partial Regex ExitComment();

    private static IEnumerable<(string Command, int Exit)> Examples()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "guard.md"));
        var inShell = false;
        var pending = new StringBuilder();
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = line == "```sh";
                continue;
            }

            if (!inShell || (pending.Length == 0 && !line.StartsWith("dotnet run -- guard tests/", StringComparison.Ordinal)))
            {
                continue;
            }

            var text = line.TrimEnd();
            if (text.EndsWith('\\'))
            {
                pending.Append(text[..^1]).Append(' ');
                continue;
            }

            pending.Append(text);
            var command = pending.ToString();
            pending.Clear();
            var match = ExitComment().Match(command);
            yield return (match.Success ? command[..match.Index].Trim() : command.Trim(),
                match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        }
    }

    // Enough of sh's word splitting for the docs: blanks separate words, single quotes keep '$' literal.
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in command)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [Test]
    public void Every_guard_example_in_the_docs_exits_as_documented()
    {
        var examples = Examples().ToList();
        Assert.That(examples, Has.Count.EqualTo(4), "the examples in docs/guard.md");
        foreach (var (command, exit) in examples)
        {
            var words = Words(command);
            Assert.That(words.Take(3), Is.EqualTo(new List<string> { "dotnet", "run", "--" }));
            // Paths in the docs are relative to the repository root.
            var args = words.Skip(4)
                .Select(a => File.Exists(Path.Combine(TestPaths.RepoRoot, a)) ? Path.Combine(TestPaths.RepoRoot, a) : a)
                .ToArray();

            var run = GuardRun.Of(args);

            Assert.That(run.ExitCode, Is.EqualTo(exit), $"{command}\n{run.Stderr}");
        }
    }
}
