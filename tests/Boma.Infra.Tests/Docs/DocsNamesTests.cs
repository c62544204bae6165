using System.Text.RegularExpressions;

namespace Boma.Infra.Tests.Docs;

/// <summary>
/// A doc that names something that is not there is wrong, and a newcomer following it is lost. Every Markdown file
/// of the repository (README.md, docs/**, components/README.md, hosts/README.md, sdk/Boma.Pulumi/README.md) is read:
/// the files it names must exist, the types and members it names in backticks must be declared, the tests it names
/// must exist, and a code name in backticks must occur in the code. Line numbers are not citations (they rot):
/// `file.cs:123` fails too.
/// </summary>
[TestFixture]
public sealed partial class DocsNamesTests
{
    private static readonly Lazy<Corpus> Repo = new(() => Corpus.Load(RepoRoot.Path));

    /// <summary>
    /// Names from other projects' sources that the docs cite as facts but boma's code does not use: Pulumi's CLI and
    /// protocol (where the preview JSON comes from, a message the official SDK sends), OpenSSH's client options.
    /// </summary>
    private static readonly HashSet<string> UpstreamNames = new(StringComparer.Ordinal)
    {
        "ShowPreviewDigest", "ResourcePreEvent", "ViewOf", "ImportID", "PreviewDigest", "PreviewStep", "ResourceHooksBinding", "RegisterPackage",
        "IdentityFile",
    };

    // A repository file name as prose writes it: optional folders, a name, one of our file kinds.
    [GeneratedRegex(@"(?<![\w/.~$*>-])(?!Node\.js\b)(?:[\w.-]+/)*[\w-][\w.-]*\.(?:cs|sh|tmpl|md|json|yaml|yml|txt|proto|props|csproj|sln|mjs|js|py|tsv)(?![\w/-])")]
    private static partial Regex FileName();

    [GeneratedRegex(@"\b[\w./-]+\.(?:cs|sh|tmpl|md|json|yaml|yml|txt|proto|props|csproj|sln|mjs|js|py|tsv):\d+")]
    private static partial Regex FileLine();

    [GeneratedRegex(@"[a-z][a-z0-9+.-]*://\S+")]
    private static partial Regex Url();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    // A section sign followed by a number (a section of a document the reader does not have), or a path under the
    // work directory of the machine the docs were written on.
    [GeneratedRegex(@"\u00a7\s*\d|(?<![\w.])/wor[k]/")]
    private static partial Regex OutsideCitation();

    // The word issue (or issues) and a number, "#" or not: a tracker entry the reader of the checkout does not have
    // (not the file /etc/issue).
    [GeneratedRegex(@"(?<![/\w.-])[Ii]ssues?\s+#?\d+")]
    private static partial Regex IssueCitation();

    // Type.Member(.More), as C# names it; a trailing () or (args) is dropped first.
    [GeneratedRegex(@"^…?[A-Z]\w*(?:<[\w, ]+>)?(?:\.…?[\w…]+)+$")]
    private static partial Regex Dotted();

    // A test method's name: words joined by underscores, or … for an elided part.
    [GeneratedRegex(@"^…?[A-Z][a-z][A-Za-z0-9]*(?:_[A-Za-z0-9…]+){2,}…?$|^…[A-Za-z0-9_]*[a-z][A-Za-z0-9_]*…?$")]
    private static partial Regex TestMethodName();

    // A bare CamelCase name with at least two humps (HetznerVps, RegisterOutputs): a type or member of ours or of an API we call.
    [GeneratedRegex(@"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$")]
    private static partial Regex CamelName();

    [Test]
    public void Every_file_a_doc_names_exists()
    {
        var failures = new List<string>();
        var checkedNames = 0;
        foreach (var (doc, line, text) in Repo.Value.Prose())
        {
            foreach (Match m in FileName().Matches(Url().Replace(text, " ")))
            {
                checkedNames++;
                if (!Repo.Value.HasFile(m.Value, doc))
                {
                    failures.Add($"{doc}:{line}: {m.Value} is not a file of the repository");
                }
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(checkedNames, Is.GreaterThan(300), "file names checked");
        TestContext.Out.WriteLine($"{checkedNames} file names checked");
    }

    [Test]
    public void No_doc_cites_a_line_number()
    {
        var failures = Repo.Value.Prose()
            .SelectMany(p => FileLine().Matches(Url().Replace(p.Text, " ")).Select(m => $"{p.Doc}:{p.Line}: {m.Value} — cite the test or type by name, not the line"))
            .ToList();
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    /// <summary>
    /// What the code relies on is in docs/design/, in our own words: no doc or comment sends the reader to a design
    /// note by section number or to a file on some machine outside the checkout.
    /// </summary>
    [Test]
    public void No_doc_or_comment_cites_a_document_outside_the_repository()
    {
        var failures = Repo.Value.TextLines()
            .Where(l => OutsideCitation().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.That(failures, Is.Empty, "put the fact into docs/design/ and point there:\n" + string.Join("\n", failures));
        Assert.That(OutsideCitation().IsMatch("see notes.md " + "\u00a7" + "1.2"), Is.True);
        Assert.That(OutsideCitation().IsMatch("/" + "work/shared/design/x.md"), Is.True);
    }

    /// <summary>
    /// A comment or doc says what it relies on instead of pointing at a tracker entry. The one exception is
    /// docs/acceptance.md, the record of each issue's requirements (restated there) against their tests.
    /// </summary>
    [Test]
    public void No_doc_or_comment_cites_an_issue_number()
    {
        var failures = Repo.Value.TextLines()
            .Where(l => l.File != "docs/acceptance.md" && IssueCitation().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.That(failures, Is.Empty, "say what the code relies on (or point into docs/) instead of an issue number:\n" + string.Join("\n", failures));
        Assert.That(IssueCitation().IsMatch("// see Iss" + "ue #17 item 4"), Is.True);
        Assert.That(IssueCitation().IsMatch("install_file /etc/issue 0644"), Is.False);
    }

    [Test]
    public void Every_type_member_and_test_a_doc_names_in_backticks_exists()
    {
        var failures = new List<string>();
        var counts = new int[3];
        foreach (var (doc, line, text) in Repo.Value.Prose())
        {
            foreach (Match m in CodeSpan().Matches(text))
            {
                var name = Regex.Replace(m.Groups[1].Value.Trim(), @"\(.*\)$", "");
                if (FileName().IsMatch(name) || name.Contains("Xxx", StringComparison.Ordinal) || UpstreamNames.Contains(name))
                {
                    continue;
                }

                string? problem = null;
                if (Dotted().IsMatch(name))
                {
                    counts[0]++;
                    problem = Repo.Value.DottedProblem(name);
                }
                else if (TestMethodName().IsMatch(name))
                {
                    counts[1]++;
                    problem = Repo.Value.TestMethodExists(name) ? null : $"no test method {name} in tests/";
                }
                else if (CamelName().IsMatch(name))
                {
                    counts[2]++;
                    problem = Repo.Value.OccursInCode(name) ? null : $"{name} occurs nowhere in the code";
                }

                if (problem is not null)
                {
                    failures.Add($"{doc}:{line}: `{m.Groups[1].Value}`: {problem}");
                }
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        // An empty scan is a broken parser: today the docs name ~400 Type.Member names, ~30 tests and ~300 code names.
        Assert.That(counts[0], Is.GreaterThan(200), "Type.Member names checked");
        Assert.That(counts[1], Is.GreaterThan(10), "test names checked");
        Assert.That(counts[2], Is.GreaterThan(100), "code names checked");
        TestContext.Out.WriteLine($"{counts[0]} Type.Member names, {counts[1]} test names, {counts[2]} code names checked");
    }

    [Test]
    public void The_checks_fail_on_a_missing_file_type_member_and_test()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Repo.Value.HasFile("components/NoSuchComponent.cs", "README.md"), Is.False);
            Assert.That(Repo.Value.HasFile("components/HetznerVps.cs", "README.md"), Is.True);
            Assert.That(Repo.Value.HasFile("Components/HetznerVpsTests.cs", "docs/acceptance.md"), Is.True, "a test file relative to its project");
            Assert.That(Repo.Value.HasFile("config.yaml", "docs/netbird.md"), Is.True, "rendered from config.yaml.tmpl");
            Assert.That(Repo.Value.DottedProblem("NetbirdConfig.Version"), Is.Null);
            Assert.That(Repo.Value.DottedProblem("NetbirdConfig.NoSuchMember"), Does.Contain("NoSuchMember"));
            Assert.That(Repo.Value.DottedProblem("NoSuchTests.Some_test_name_here"), Does.Contain("NoSuchTests"));
            Assert.That(Repo.Value.DottedProblem("DocsNamesTests.Every_file_a_doc_names_exists"), Is.Null);
            Assert.That(Repo.Value.DottedProblem("OutputTests.Secret_propagates_…"), Is.Null, "an elided test name in Boma.Pulumi.Tests");
            Assert.That(Repo.Value.TestMethodExists("No_such_test_anywhere_at_all"), Is.False);
            Assert.That(Repo.Value.OccursInCode("NetbirdCaddy" + "ConfigLoaderThatIsNot"), Is.False);
            Assert.That(Repo.Value.HasFile("plan.json", "README.md"), Is.True, "a file a documented command writes");
            Assert.That(Repo.Value.HasFile("plan" + "-nowhere.json", "README.md"), Is.False);
        });
    }

    /// <summary>The repository's Markdown prose and its code, indexed by name.</summary>
    private sealed partial class Corpus
    {
        private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules", "out", "TestResults" };

        private readonly string _root;
        private readonly List<string> _files = [];
        private readonly Dictionary<string, List<string>> _typeFiles = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _text = new(StringComparer.Ordinal);
        private readonly HashSet<string> _codeWords = new(StringComparer.Ordinal);
        private readonly HashSet<string> _testMethods = new(StringComparer.Ordinal);
        private readonly List<(string Doc, string[] Lines)> _docs = [];

        // Files a documented command writes (`> plan.json`, `--summary OUT.md`): named in the docs, never committed.
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);

        private Corpus(string root) => _root = root;

        public static Corpus Load(string root)
        {
            var corpus = new Corpus(root);
            var pending = new Stack<string>([root]);
            while (pending.Count > 0)
            {
                var dir = pending.Pop();
                foreach (var sub in Directory.EnumerateDirectories(dir).Where(d => !Skipped.Contains(Path.GetFileName(d))))
                {
                    pending.Push(sub);
                }

                // In a git worktree .git is a file naming the main checkout: not part of the repository.
                foreach (var file in Directory.EnumerateFiles(dir).Where(f => Path.GetFileName(f) != ".git"))
                {
                    corpus.Add(Rel(root, file), file);
                }
            }

            return corpus;
        }

        private static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

        private void Add(string rel, string full)
        {
            _files.Add(rel);
            if (rel.EndsWith(".md", StringComparison.Ordinal))
            {
                var lines = File.ReadAllLines(full);
                _docs.Add((rel, lines));
                foreach (var line in lines)
                {
                    foreach (Match w in WrittenFile().Matches(line))
                    {
                        _written.Add(w.Groups[1].Value);
                    }
                }

                return;
            }

            if (new FileInfo(full).Length > 1_000_000 || rel.EndsWith(".json", StringComparison.Ordinal) && rel.Contains("/schemas/", StringComparison.Ordinal))
            {
                return;
            }

            var content = File.ReadAllText(full);
            if (content.Contains('\0', StringComparison.Ordinal))
            {
                return;
            }

            _text[rel] = content;
            foreach (Match w in Word().Matches(content))
            {
                _codeWords.Add(w.Value);
            }

            if (!rel.EndsWith(".cs", StringComparison.Ordinal))
            {
                return;
            }

            foreach (Match t in TypeDeclaration().Matches(content))
            {
                var name = t.Groups[1].Value;
                if (!_typeFiles.TryGetValue(name, out var list))
                {
                    _typeFiles[name] = list = [];
                }

                list.Add(rel);
            }

            if (rel.StartsWith("tests/", StringComparison.Ordinal))
            {
                foreach (Match t in MethodDeclaration().Matches(content))
                {
                    _testMethods.Add(t.Groups[1].Value);
                }
            }
        }

        /// <summary>Every line of every text file (docs and code, templates and scripts).</summary>
        public IEnumerable<(string File, int Line, string Text)> TextLines() =>
            _docs.SelectMany(d => d.Lines.Select((t, i) => (d.Doc, i + 1, t)))
                .Concat(_text.SelectMany(f => f.Value.Split('\n').Select((t, i) => (f.Key, i + 1, t))));

        /// <summary>Prose lines (outside fenced blocks) of every Markdown file.</summary>
        public IEnumerable<(string Doc, int Line, string Text)> Prose()
        {
            foreach (var (doc, lines) in _docs)
            {
                var fenced = false;
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                    {
                        fenced = !fenced;
                    }
                    else if (!fenced)
                    {
                        yield return (doc, i + 1, lines[i]);
                    }
                }
            }
        }

        /// <summary>
        /// A name is a file when it is one from the root or from the doc's folder, or the tail of one (test files are
        /// named relative to their project, host files by their name); a rendered file counts through its .tmpl; a bare
        /// name also when a documented command writes it or the code names it as a string (a file made at run time).
        /// </summary>
        public bool HasFile(string name, string doc)
        {
            var fromDoc = Path.GetFullPath(Path.Combine(_root, Path.GetDirectoryName(doc) ?? "", name));
            if (File.Exists(Path.Combine(_root, name)) || File.Exists(fromDoc) || Directory.Exists(Path.Combine(_root, name)))
            {
                return true;
            }

            var tail = "/" + name.TrimStart('.', '/');
            return _files.Exists(f => ("/" + f).EndsWith(tail, StringComparison.Ordinal) || ("/" + f).EndsWith(tail + ".tmpl", StringComparison.Ordinal))
                || (!name.Contains('/', StringComparison.Ordinal) && (_written.Contains(name) || _text.Values.Any(t => t.Contains('"' + name + '"', StringComparison.Ordinal))));
        }

        /// <summary>Null when `Type.Member…` names a declared type and a member its files declare; else what is wrong.</summary>
        public string? DottedProblem(string name)
        {
            var parts = name.Split('.');
            var type = Regex.Replace(parts[0], "<.*>$", "").TrimStart('…');
            if (!_typeFiles.TryGetValue(type, out var declaring))
            {
                if (type.EndsWith("Tests", StringComparison.Ordinal))
                {
                    return $"no test class {type}";
                }

                // Not one of our types (a namespace, an RPC, an API we call): its parts must at least occur in the code.
                var missing = parts.Select(p => p.Trim('…')).Where(p => p.Length > 0 && !p.Contains('…', StringComparison.Ordinal) && !OccursInCode(p)).ToList();
                return missing.Count == 0 ? null : $"{string.Join(", ", missing)} occurs nowhere in the code";
            }

            var member = parts[1];
            var pattern = new Regex(@"\b" + string.Join(@"\w*", member.Split('…').Select(Regex.Escape)) + @"\b", RegexOptions.CultureInvariant);
            return declaring.Exists(f => pattern.IsMatch(_text[f])) ? null : $"{type} ({string.Join(", ", declaring)}) has no member {member}";
        }

        public bool TestMethodExists(string name)
        {
            var pattern = new Regex("^" + string.Join(@"\w*", name.Split('…').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);
            return _testMethods.Any(pattern.IsMatch);
        }

        public bool OccursInCode(string name) => _codeWords.Contains(name);

        [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
        private static partial Regex Word();

        [GeneratedRegex(@"(?:>|--[a-z-]+)\s+([\w.-]+\.[a-z]+)\b")]
        private static partial Regex WrittenFile();

        [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+([A-Z]\w*)")]
        private static partial Regex TypeDeclaration();

        [GeneratedRegex(@"\b(?:void|Task|IEnumerable<[\w<>, ]+>)\s+([A-Z]\w*)\s*\(")]
        private static partial Regex MethodDeclaration();
    }
}
