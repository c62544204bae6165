namespace Boma.Infra.Cli;

/// <summary>Arguments of `boma plan &lt;stack&gt; [--json] [--out DIR]`.</summary>
internal sealed record PlanOptions(string Stack, bool Json, string? OutDir)
{
    public const string Usage = "usage: boma plan <stack> [--json] [--out DIR]   (stacks: offsite, cluster)";

    /// <summary>Parses the arguments after the verb; null plus a message when they are wrong.</summary>
    public static PlanOptions? Parse(IReadOnlyList<string> args, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? stack = null;
        string? outDir = null;
        var json = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                // An empty value would mean the working directory, i.e. host files written into the checkout.
                case "--out" when i + 1 < args.Count && args[i + 1].Length > 0 && !args[i + 1].Contains('\0', StringComparison.Ordinal)
                                  && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    outDir = args[++i];
                    break;
                case "--out":
                    problem = "--out needs a directory, e.g. --out out/hosts";
                    return null;
                case var flag when flag.StartsWith('-'):
                    problem = $"unknown option '{flag}'";
                    return null;
                case var name when stack is null:
                    stack = name;
                    break;
                default:
                    problem = $"unexpected argument '{args[i]}' (one stack per plan)";
                    return null;
            }
        }

        if (stack is null)
        {
            problem = "which stack? e.g. `boma plan offsite`";
            return null;
        }

        problem = null;
        return new PlanOptions(stack, json, outDir);
    }
}
