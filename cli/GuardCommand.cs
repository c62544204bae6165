using System.Globalization;
using System.Text;
using Boma.Infra.Policy;

namespace Boma.Infra.Cli;

/// <summary>
/// `boma guard`: applies the invariant rule file to preview documents (one per stack), prints the PR summary,
/// and exits 0 (compliant), 1 (violations), 2 (unreadable input or rule file) or 64 (usage).
/// </summary>
internal static class GuardCommand
{
    public const int Compliant = 0;
    public const int ViolationsFound = 1;
    public const int BadInput = 2;
    public const int UsageError = 64;

    /// <summary>Preview documents larger than this are refused before parsing (a real one is a few MB at most).</summary>
    public const int MaxDocumentBytes = 64 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int Run(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            return RunChecked(args, stdin, stdout, stderr);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Unknown means refused: whatever went wrong, one line and exit 2, never a pass and never a trace.
            stderr.WriteLine($"guard: internal error, input refused ({e.GetType().Name}): {Config.Addresses.Show(e.Message, 2000)}");
            return BadInput;
        }
    }

    private static string ReadDocument(string file, TextReader stdin)
    {
        if (file != "-")
        {
            if (new FileInfo(file).Length > MaxDocumentBytes)
            {
                throw new PreviewFormatException($"larger than {MaxDocumentBytes >> 20} MiB; not a preview document");
            }

            return StrictUtf8.GetString(File.ReadAllBytes(file));
        }

        if (!ReferenceEquals(stdin, Console.In))
        {
            return stdin.ReadToEnd();
        }

        // The console's reader replaces invalid bytes silently; read the raw bytes so bad encoding is refused.
        using var raw = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        raw.CopyTo(buffer);
        return StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static int RunChecked(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var options = GuardOptions.Parse(args, stderr);
        if (options is null)
        {
            stderr.WriteLine(GuardOptions.Usage);
            return UsageError;
        }

        if (options.Help)
        {
            stdout.WriteLine(GuardOptions.Usage);
            return Compliant;
        }

        RuleSet rules;
        try
        {
            rules = options.RulesPath is null ? RuleSet.LoadDefault() : RuleSet.Load(options.RulesPath);
        }
        catch (PolicyFileException e)
        {
            stderr.WriteLine($"guard: {Config.Addresses.Show(e.Message, 2000)}");
            return BadInput;
        }

        if (!TryReadAllowed(options, stderr, out var allowed))
        {
            return BadInput;
        }

        var documents = new List<(string File, PreviewDocument Doc)>();
        var unreadable = false;
        foreach (var file in options.Files)
        {
            var name = file == "-" ? "stdin" : file;
            try
            {
                var text = ReadDocument(file, stdin);
                if (text.Length > 0 && text[0] == '\uFEFF')
                {
                    text = text[1..];
                }

                documents.Add((name, PreviewDocument.Parse(text)));
            }
            catch (DecoderFallbackException)
            {
                stderr.WriteLine($"guard: {name}: not UTF-8 text; give the output of `pulumi preview --json` as it was written");
                unreadable = true;
            }
            catch (PreviewFormatException e)
            {
                stderr.WriteLine($"guard: {name}: {Config.Addresses.Show(e.Message, 2000)}");
                unreadable = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"guard: {name}: cannot read the file: {Config.Addresses.Show(e.Message, 2000)}");
                unreadable = true;
            }
        }

        if (unreadable)
        {
            return BadInput;
        }

        var evaluator = new InvariantEvaluator(rules);
        var changeRuleIds = rules.ChangeRules.Select(r => r.Definition.Id).ToHashSet(StringComparer.Ordinal);
        var results = new List<GuardStackResult>();
        foreach (var (file, doc) in documents)
        {
            // Judge without the allow list first, so the summary can show which allowances were used.
            var found = evaluator.CheckPreview(doc.Changes, new HashSet<string>(StringComparer.Ordinal));
            bool IsAllowed(Violation v) => changeRuleIds.Contains(v.RuleId) && allowed.Contains(v.Urn);
            var stack = options.Stack ?? doc.StackName ?? Path.GetFileNameWithoutExtension(file);
            results.Add(new GuardStackResult(stack, doc, found.Where(v => !IsAllowed(v)).ToList(), found.Where(IsAllowed).ToList()));
        }

        var summary = GuardSummary.Render(results, rules.Definitions.Count(d => d.EnforcedBy.Contains(EnforcementPoint.Guard)), allowed);
        var violationCount = results.Sum(r => r.Violations.Count);
        if (options.SummaryPath is null)
        {
            stdout.Write(summary);
        }
        else
        {
            // A pipe nobody reads would hang the write; a directory or device is a wrong argument, not a summary.
            var outProblem = options.SummaryPath.Length == 0 || options.SummaryPath.Contains('\0', StringComparison.Ordinal)
                ? "is not a path"
                : OutPath.FileProblem(Path.GetFullPath(options.SummaryPath), followFinalLink: true);
            if (outProblem is not null)
            {
                stderr.WriteLine($"guard: --summary '{Config.Addresses.Show(options.SummaryPath, 500)}': {outProblem}");
                return BadInput;
            }

            try
            {
                File.WriteAllText(options.SummaryPath, summary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"guard: {Config.Addresses.Show(options.SummaryPath, 500)}: cannot write the summary: {Config.Addresses.Show(e.Message, 2000)}");
                return BadInput;
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"guard: {results.Count} stack(s), {violationCount} violation(s); summary in {options.SummaryPath}"));
        }

        foreach (var result in results)
        {
            foreach (var v in result.Violations)
            {
                stderr.WriteLine($"guard: {result.Stack}: {v}");
            }
        }

        return violationCount > 0 ? ViolationsFound : Compliant;
    }

    private static bool TryReadAllowed(GuardOptions options, TextWriter stderr, out HashSet<string> allowed)
    {
        allowed = new HashSet<string>(options.AllowReplace.Select(u => u.Trim()), StringComparer.Ordinal);
        if (allowed.FirstOrDefault(u => !IsUrn(u)) is { } notUrn)
        {
            stderr.WriteLine($"guard: --allow-replace '{Config.Addresses.Show(notUrn)}' is not a URN (urn:pulumi:...)");
            return false;
        }

        foreach (var path in options.AllowFiles)
        {
            string[] lines;
            try
            {
                // Strict UTF-8: a mangled allow file is refused, not read with replacement characters.
                lines = StrictUtf8.GetString(File.ReadAllBytes(path)).Split('\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
            {
                stderr.WriteLine($"guard: {Config.Addresses.Show(path, 500)}: cannot read the allow file: {Config.Addresses.Show(e.Message, 2000)}");
                return false;
            }

            for (var i = 0; i < lines.Length; i++)
            {
                var hash = lines[i].IndexOf('#', StringComparison.Ordinal);
                var urn = (hash >= 0 ? lines[i][..hash] : lines[i]).Trim();
                if (urn.Length == 0)
                {
                    continue;
                }

                // Unknown means refused: a line that is not a URN would allow nothing and hide a typo.
                if (!IsUrn(urn))
                {
                    stderr.WriteLine($"guard: {Config.Addresses.Show(path, 500)}:{i + 1}: '{Config.Addresses.Show(urn)}' is not a URN (urn:pulumi:...); one URN per line, '#' starts a comment");
                    return false;
                }

                allowed.Add(urn);
            }
        }

        return true;
    }

    private static bool IsUrn(string text) => text.StartsWith("urn:pulumi:", StringComparison.Ordinal) && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
}
