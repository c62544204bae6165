namespace Boma.Infra.Cli;

/// <summary>The parsed arguments of `guard`; Parse returns null and writes the reason when they are unusable.</summary>
internal sealed record GuardOptions(
    IReadOnlyList<string> Files,
    string? Stack,
    IReadOnlyList<string> AllowReplace,
    IReadOnlyList<string> AllowFiles,
    string? SummaryPath,
    string? RulesPath,
    bool Help)
{
    public const string Usage =
        """
        usage: boma guard FILE... [--stack NAME] [--allow-replace URN]... [--allow-file PATH]... [--summary OUT.md] [--rules PATH]

          FILE                 a `pulumi preview --json` document or `boma plan --json` output, one per stack ('-' = stdin)
          --stack NAME         the stack's name in the summary (one FILE only; default: taken from the URNs)
          --allow-replace URN  let this protected resource be replaced or deleted (repeatable)
          --allow-file PATH    read more allowed URNs from PATH, one per line ('#' starts a comment)
          --summary OUT.md     write the Markdown summary to OUT.md instead of stdout
          --rules PATH         use another rule file (default: policy/rules.json next to the program)

        exit codes: 0 compliant, 1 invariant violations, 2 unreadable or malformed input, 64 usage error
        """;

    public static GuardOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        var files = new List<string>();
        var allow = new List<string>();
        var allowFiles = new List<string>();
        string? stack = null, summary = null, rules = null;
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                // A following option is not a value: `--allow-replace --summary x` is a mistake, not a URN.
                if (i + 1 < args.Count && args[i + 1].Length > 0 && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return args[++i];
                }

                error.WriteLine($"guard: {arg} needs a value");
                return null;
            }

            switch (arg)
            {
                case "-h" or "--help":
                    help = true;
                    break;
                case "--stack":
                    if ((stack = Value()) is null)
                    {
                        return null;
                    }

                    break;
                case "--allow-replace":
                    if (Value() is not { } urn)
                    {
                        return null;
                    }

                    allow.Add(urn);
                    break;
                case "--allow-file":
                    if (Value() is not { } path)
                    {
                        return null;
                    }

                    allowFiles.Add(path);
                    break;
                case "--summary":
                    if ((summary = Value()) is null)
                    {
                        return null;
                    }

                    break;
                case "--rules":
                    if ((rules = Value()) is null)
                    {
                        return null;
                    }

                    break;
                case "-":
                    files.Add(arg);
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        error.WriteLine($"guard: unknown option '{arg}'");
                        return null;
                    }

                    files.Add(arg);
                    break;
            }
        }

        if (help)
        {
            return new GuardOptions(files, stack, allow, allowFiles, summary, rules, true);
        }

        if (files.Count == 0)
        {
            error.WriteLine("guard: give at least one preview file (the output of `pulumi preview --json`, or '-' for stdin)");
            return null;
        }

        if (files.Count(f => f == "-") > 1)
        {
            error.WriteLine("guard: stdin ('-') can be read only once");
            return null;
        }

        if (stack is not null && files.Count > 1)
        {
            error.WriteLine("guard: --stack names one stack; with several files the names come from the URNs");
            return null;
        }

        return new GuardOptions(files, stack, allow, allowFiles, summary, rules, false);
    }
}
