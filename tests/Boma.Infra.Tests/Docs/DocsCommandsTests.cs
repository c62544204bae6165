using System.Text.Json;
using System.Text.RegularExpressions;
using Boma.Infra.Cli;
using Boma.Infra.Config;
using Boma.Pulumi;

namespace Boma.Infra.Tests.Docs;

/// <summary>
/// "Every command in the docs runs as written": the program's own commands in README.md and docs/**/*.md run
/// (in-process through the verb entry, in order, in a scratch checkout), and what the docs name — config keys,
/// repository paths, stacks, resource URNs — exists in the code.
/// </summary>
[TestFixture]
public partial class DocsCommandsTests
{
    private static readonly string[] Stacks = ["offsite", "cluster"];

    private static readonly DocsText Docs = DocsText.Load(RepoRoot.Path);

    [GeneratedRegex(@"\bexit\s+(\d+)\b")]
    private static partial Regex ExitComment();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    // boma:<key> with optional .field / [n] parts; a following ':<letter>' makes it a type token (boma:netbird:Peers).
    [GeneratedRegex(@"\bboma:([A-Za-z][A-Za-z0-9]*)((?:\.[A-Za-z][A-Za-z0-9]*|\[[0-9a-z]+\])*)(?!:?[A-Za-z<])")]
    private static partial Regex ConfigKey();

    [GeneratedRegex(@"urn:pulumi:[^\s`'""|)]+")]
    private static partial Regex Urn();

    /// <summary>(a) Every `dotnet run -- VERB …` line exits as documented (0 unless a trailing `# exit N` says otherwise).</summary>
    [Test]
    public async Task Every_dotnet_run_command_runs_with_its_documented_exit_code()
    {
        var failures = new List<string>();
        var ran = 0;
        var skipped = 0;
        foreach (var group in Docs.ShellLines().GroupBy(l => l.File))
        {
            // docs/guard.md's examples are run by Guard/GuardDocsTests; its first block is the synopsis, not a command.
            if (group.Key == "docs/guard.md")
            {
                continue;
            }

            var scratch = ScratchCheckout();
            // Files an earlier ⚠ command (pulumi, ssh…) writes with `> FILE`: they do not exist here.
            var fromCli = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var line in group)
                {
                    var (command, comment) = DocsText.SplitComment(line.Text);
                    if (!command.Contains("dotnet run -- ", StringComparison.Ordinal))
                    {
                        if (comment.Contains('⚠', StringComparison.Ordinal) && RedirectTarget(command) is { } produced)
                        {
                            fromCli.Add(produced);
                        }

                        continue;
                    }

                    var expected = ExitComment().Match(comment) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                    foreach (var part in command.Split("&&", StringSplitOptions.TrimEntries))
                    {
                        if (!part.StartsWith("dotnet run -- ", StringComparison.Ordinal))
                        {
                            // Fed by another program (e.g. `pulumi stack output … | dotnet run -- runbook`): only honest if marked.
                            if (!comment.Contains('⚠', StringComparison.Ordinal))
                            {
                                failures.Add($"{line}\n    cannot run here ('{part.Split(' ')[0]}' is not the program) and is not marked ⚠");
                            }

                            continue;
                        }

                        // A program command reading what a ⚠ command wrote can only be run where that one ran.
                        var words = DocsText.Words(part);
                        if (words.Any(fromCli.Contains))
                        {
                            if (!comment.Contains('⚠', StringComparison.Ordinal))
                            {
                                failures.Add($"{line}\n    reads a file only a ⚠ command makes, so it cannot run here; mark it ⚠");
                            }

                            skipped++;
                            continue;
                        }

                        ran++;
                        var problem = await RunAsync(part, expected, scratch);
                        if (problem is not null)
                        {
                            failures.Add($"{line}\n    {problem}");
                        }
                    }
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        // The operations guides alone document more than a dozen program commands; an empty scan is a broken parser.
        Assert.That(ran, Is.GreaterThanOrEqualTo(15), "documented program commands run");
        Assert.That(skipped, Is.LessThan(ran), "most program commands must run here, not depend on the cloud");
        TestContext.Out.WriteLine($"ran {ran} documented program commands; {skipped} read a file only a ⚠ command makes");
    }

    /// <summary>(b) Every `boma:KEY` (and `pulumi config set` key) in the docs is a key the config code reads.</summary>
    [Test]
    public void Every_config_key_in_the_docs_is_read_by_the_config_code()
    {
        var known = KeysReadByConfigCode();
        var fieldNames = FieldLiteralsInConfigCode();
        Assert.That(known, Does.Contain(ConfigKeys.HcloudToken).And.Contain(ClusterConfigLoader.ApiTokenKey), "the recording config source saw the loaders' reads");

        var failures = new List<string>();
        var checkedKeys = 0;
        foreach (var line in Docs.AllLines())
        {
            foreach (Match m in ConfigKey().Matches(line.Text))
            {
                checkedKeys++;
                var key = m.Groups[1].Value;
                if (!known.Contains(key))
                {
                    failures.Add($"{line.File}:{line.Line}: boma:{key} is not read by config/ (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
                    continue;
                }

                foreach (Match field in FieldPart().Matches(m.Groups[2].Value))
                {
                    if (!fieldNames.Contains(field.Groups[1].Value))
                    {
                        failures.Add($"{line.File}:{line.Line}: {m.Value}: field '{field.Groups[1].Value}' is not read anywhere in config/*.cs");
                    }
                }
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(checkedKeys, Is.GreaterThan(50));
        TestContext.Out.WriteLine($"{checkedKeys} boma: keys checked against {known.Count} keys the loaders read");
    }

    [GeneratedRegex(@"\.([A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex FieldPart();

    /// <summary>(c) Every repository path in backticks (outside code blocks) exists, or is rendered from its `.tmpl`.</summary>
    [Test]
    public void Every_repository_path_in_backticks_exists()
    {
        var topDirs = Directory.GetDirectories(RepoRoot.Path).Select(Path.GetFileName).Where(d => d is not null && d != ".git").ToHashSet(StringComparer.Ordinal);
        // Directories the build makes (node_modules/, bin/, /out/…), from .gitignore: documented, never committed.
        var ignored = File.ReadAllLines(System.IO.Path.Combine(RepoRoot.Path, ".gitignore"))
            .Where(l => l.EndsWith('/')).Select(l => l.Trim('/')).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        var checkedPaths = 0;
        foreach (var line in Docs.ProseLines())
        {
            foreach (Match m in CodeSpan().Matches(line.Text))
            {
                var path = m.Groups[1].Value.TrimEnd('/');
                if (!IsRepoPath(path, topDirs) || path.Split('/').Any(ignored.Contains))
                {
                    continue;
                }

                checkedPaths++;
                var full = System.IO.Path.Combine(RepoRoot.Path, path);
                if (!File.Exists(full) && !Directory.Exists(full) && !File.Exists(full + ".tmpl"))
                {
                    failures.Add($"{line.File}:{line.Line}: `{m.Groups[1].Value}` does not exist in the repository");
                }
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(checkedPaths, Is.GreaterThan(50));
        TestContext.Out.WriteLine($"{checkedPaths} repository paths checked");
    }

    /// <summary>(d) Every `pulumi` command (code blocks and inline) that names a stack names offsite or cluster.</summary>
    [Test]
    public void Every_pulumi_command_names_a_real_stack()
    {
        var commands = Docs.ShellLines().Select(l => (Where: $"{l.File}:{l.Line}", Command: DocsText.SplitComment(l.Text).Command))
            .Concat(Docs.ProseLines().SelectMany(l => CodeSpan().Matches(l.Text).Select(m => (Where: $"{l.File}:{l.Line}", Command: m.Groups[1].Value))))
            .SelectMany(c => c.Command.Split(["&&", "|"], StringSplitOptions.TrimEntries).Select(part => (c.Where, Command: part)))
            .Where(c => c.Command.StartsWith("pulumi ", StringComparison.Ordinal))
            .ToList();

        var failures = new List<string>();
        var named = 0;
        foreach (var (where, command) in commands)
        {
            var words = DocsText.Words(command);
            for (var i = 1; i < words.Count; i++)
            {
                string? stack = null;
                if ((words[i] is "-s" or "--stack") && i + 1 < words.Count)
                {
                    stack = words[i + 1];
                }
                else if (words[i].StartsWith("--stack=", StringComparison.Ordinal))
                {
                    stack = words[i]["--stack=".Length..];
                }
                else if (i == 2 && words[1] == "stack" && words[i] is "init" or "select" or "rm" && i + 1 < words.Count && !words[i + 1].StartsWith('-'))
                {
                    stack = words[i + 1];
                }

                if (stack is null)
                {
                    continue;
                }

                named++;
                // A fully qualified name (org/project/stack) is fine if the project is boma and the stack is ours.
                var parts = stack.Split('/');
                if (!Stacks.Contains(parts[^1]) || (parts.Length == 3 && parts[1] != "boma"))
                {
                    failures.Add($"{where}: `{command}` names stack '{stack}'; the stacks are {string.Join(" and ", Stacks)}");
                }
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(named, Is.GreaterThan(20));
        TestContext.Out.WriteLine($"{commands.Count} pulumi commands, {named} stack names checked");
    }

    /// <summary>Every URN the docs give (e.g. for `pulumi up --replace`) is a resource of that stack's offline plan.</summary>
    [Test]
    public async Task Every_urn_in_the_docs_is_in_its_stacks_plan()
    {
        var planned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stack in Stacks)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await Entry.RunVerbAsync(["plan", stack, "--json"], TextReader.Null, stdout, stderr, RepoRoot.Path);
            Assert.That(exit, Is.Zero, stderr.ToString());
            using var doc = JsonDocument.Parse(stdout.ToString());
            foreach (var step in doc.RootElement.GetProperty("steps").EnumerateArray())
            {
                planned.Add(step.GetProperty("urn").GetString()!);
            }
        }

        var failures = new List<string>();
        var checkedUrns = 0;
        // docs/guard.md's URNs are those of its test documents (Cli/testdata), checked by the guard tests.
        foreach (var line in Docs.AllLines().Where(l => l.File != "docs/guard.md"))
        {
            foreach (Match m in Urn().Matches(line.Text))
            {
                var urn = m.Value.TrimEnd('.', ',', ';', ':');
                if (urn.Contains('<', StringComparison.Ordinal) || urn.Contains('…', StringComparison.Ordinal))
                {
                    continue; // a shape with a placeholder, not a resource
                }

                checkedUrns++;
                if (!planned.Contains(urn))
                {
                    failures.Add($"{line.File}:{line.Line}: {urn} is not a resource of the offline plans");
                }
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(checkedUrns, Is.GreaterThan(5));
        TestContext.Out.WriteLine($"{checkedUrns} URNs checked against {planned.Count} planned resources");
    }

    /// <summary>The operations guides mark every command ✅ (run) or ⚠ (needs a real cloud, CLI or host).</summary>
    [Test]
    public void Every_command_in_the_operations_guides_is_marked()
    {
        var unmarked = Docs.ShellLines()
            .Where(l => l.File.StartsWith("docs/operations/", StringComparison.Ordinal) && l.Info == "sh")
            .Where(l => DocsText.SplitComment(l.Text).Command.Length > 0)
            .Where(l => !l.Text.Contains('✅', StringComparison.Ordinal) && !l.Text.Contains('⚠', StringComparison.Ordinal))
            .Select(l => l.ToString())
            .ToList();
        Assert.That(unmarked, Is.Empty, "mark each command ✅ or ⚠ (docs/operations/README.md):\n" + string.Join("\n", unmarked));
    }

    private static bool IsRepoPath(string text, HashSet<string?> topDirs)
    {
        if (text.Any(c => char.IsWhiteSpace(c) || c is '*' or '?' or '{' or '}' or '<' or '>' or '[' or ']' or '…' or '$' or '|' or '='))
        {
            return false;
        }

        if (PulumiStackFile().IsMatch(text))
        {
            return true;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && topDirs.Contains(text[..slash]) && !text.Contains("://", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(Pulumi(\.[a-z]+)?\.yaml|[A-Za-z.]+\.(csproj|sln|props)|global\.json)$")]
    private static partial Regex PulumiStackFile();

    /// <summary>The file a command's stdout goes to (`> FILE`), if any.</summary>
    private static string? RedirectTarget(string command)
    {
        var words = DocsText.Words(command);
        var at = words.IndexOf(">");
        return at >= 0 && at + 1 < words.Count ? words[at + 1] : words.FirstOrDefault(w => w.Length > 1 && w[0] == '>')?[1..];
    }

    /// <summary>Runs one `dotnet run -- …` command (with optional `> out`, `< in`) in the scratch checkout.</summary>
    private static async Task<string?> RunAsync(string command, int expected, string scratch)
    {
        var words = DocsText.Words(command);
        var args = new List<string>();
        string? stdoutFile = null;
        string? stdinFile = null;
        for (var i = 3; i < words.Count; i++)
        {
            var w = words[i];
            if (w is ">" or "<" && i + 1 < words.Count)
            {
                (w == ">" ? ref stdoutFile : ref stdinFile) = Path.Combine(scratch, words[++i]);
            }
            else if (w.StartsWith('>') || w.StartsWith('<'))
            {
                (w[0] == '>' ? ref stdoutFile : ref stdinFile) = Path.Combine(scratch, w[1..]);
            }
            else if (w is "|" or "2>&1" or "&" || w.StartsWith("2>", StringComparison.Ordinal) || w.Contains('$', StringComparison.Ordinal))
            {
                return $"uses shell syntax the docs test does not emulate ('{w}'); keep program commands to args, '> file' and '< file'";
            }
            else
            {
                args.Add(ResolvePath(w, scratch));
            }
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using TextReader stdin = stdinFile is null ? new StringReader("") : new StreamReader(stdinFile);
        int exit;
        try
        {
            exit = await Entry.RunVerbAsync([.. args], stdin, stdout, stderr, scratch);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }

        if (stdoutFile is not null)
        {
            await File.WriteAllTextAsync(stdoutFile, stdout.ToString());
        }

        if (exit != expected)
        {
            var err = stderr.ToString().Trim();
            return $"exit {exit}, the docs say {expected}; stderr: {(err.Length > 600 ? err[..600] + "…" : err)}";
        }

        var output = stdout.ToString() + stderr;
        return output.Contains("Unhandled exception", StringComparison.Ordinal) ? "printed an unhandled exception" : null;
    }

    /// <summary>
    /// The shell would resolve a relative path against the checkout: files the docs created earlier are in the
    /// scratch directory, the rest of the repository is read where it is (so nothing is written into it).
    /// </summary>
    private static string ResolvePath(string word, string scratch)
    {
        if (word.StartsWith('-') || word.Contains(':', StringComparison.Ordinal) || !(word.Contains('/', StringComparison.Ordinal) || word.Contains('.', StringComparison.Ordinal)))
        {
            return word;
        }

        var inScratch = Path.Combine(scratch, word);
        if (File.Exists(inScratch) || Directory.Exists(inScratch))
        {
            return inScratch;
        }

        var inRepo = Path.Combine(RepoRoot.Path, word);
        return File.Exists(inRepo) || Directory.Exists(inRepo) ? inRepo : inScratch;
    }

    /// <summary>A temp directory holding the project and stack files, as a fresh clone's root would for the verbs.</summary>
    private static string ScratchCheckout()
    {
        var dir = Path.Combine(Path.GetTempPath(), "boma-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(RepoRoot.Path, "Pulumi*.yaml"))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        return dir;
    }

    /// <summary>
    /// The top-level keys (without "boma:") the loaders actually ask for, recorded while they load both checked-in
    /// stack files — so a key the code stops reading disappears from this set without anyone editing a list.
    /// </summary>
    private static HashSet<string> KeysReadByConfigCode()
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stack in Stacks)
        {
            var secrets = stack == "offsite" ? ConfigKeys.SecretKeys : ClusterConfigLoader.SecretKeys;
            var file = StackConfigFile.Load(Path.Combine(RepoRoot.Path, $"Pulumi.{stack}.yaml"), secrets.Select(ConfigKeys.Full));
            var source = new RecordingConfigSource(file, read);
            if (stack == "offsite")
            {
                var config = OffsiteConfigLoader.Load(source, stack);
                _ = NetbirdSettings.Load(source, config.Domain, stack);
            }
            else
            {
                _ = ClusterConfigLoader.Load(source);
            }
        }

        return read;
    }

    /// <summary>String literals of config/*.cs: the nested field names the readers look up (ownerEmail, vmid, …).</summary>
    private static HashSet<string> FieldLiteralsInConfigCode() =>
        Directory.GetFiles(Path.Combine(RepoRoot.Path, "config"), "*.cs")
            .SelectMany(f => StringLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"""([A-Za-z][A-Za-z0-9]*)""")]
    private static partial Regex StringLiteral();

    /// <summary>Serves a stack file's values and records every key asked for.</summary>
    private sealed class RecordingConfigSource(StackConfigFile file, HashSet<string> read) : IConfigSource
    {
        public string? Get(string key)
        {
            read.Add(key);
            return file.Values.GetValueOrDefault(ConfigKeys.Full(key));
        }

        public bool IsSecret(string key)
        {
            read.Add(key);
            return file.SecretKeys.Contains(ConfigKeys.Full(key));
        }

        public Output<string>? GetSecret(string key)
        {
            read.Add(key);
            return file.Values.TryGetValue(ConfigKeys.Full(key), out var v) ? Output.CreateSecret(v) : null;
        }
    }
}
