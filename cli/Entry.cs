using Boma.Infra.Config;
using Boma.Infra.Stacks;
using Boma.Pulumi;

namespace Boma.Infra.Cli;

/// <summary>Chooses between running under the Pulumi engine and running one of the offline verbs.</summary>
internal static class Entry
{
    /// <summary>EX_USAGE from sysexits.h: the command line was wrong.</summary>
    public const int UsageExit = 64;

    public const string Usage = """
        usage: boma <verb> [arguments]
          plan <stack> [--json] [--out DIR]   preview a stack offline (no credentials, no engine)
          guard [options]                      check `pulumi preview --json` against the invariants (see docs/guard.md)
          runbook offsite [--input F] [--out P] [--with-secrets]   write the road-warrior runbook from stack outputs
          rehearse offsite [--report FILE] [--keep]   deploy on a booted Debian 13 lab machine and check it (root; docs/rehearsal.md)
        Under `pulumi up/preview` (PULUMI_MONITOR set) the stack named by PULUMI_STACK runs instead.
        stacks: offsite, cluster
        """;

    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PULUMI_MONITOR")))
        {
            return RunUnderEngineAsync(Environment.GetEnvironmentVariable("PULUMI_STACK") ?? "");
        }

        return RunVerbAsync(args, Console.In, Console.Out, Console.Error, Directory.GetCurrentDirectory());
    }

    /// <summary>The offline verbs, with the console passed in (tests run them in-process).</summary>
    public static Task<int> RunVerbAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, string workDir)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return args.Length == 0 ? Task.FromResult(ShowUsage("no verb given", stdout, stderr)) : args[0] switch
        {
            "plan" => PlanCommand.RunAsync(args[1..], stdout, stderr, workDir),
            "guard" => Task.FromResult(GuardCommand.Run(args[1..], stdin, stdout, stderr)),
            // Reading an interactive terminal would just wait: the verb asks for piped outputs instead.
            "runbook" => Task.FromResult(RunbookCommand.Run(args[1..], stdin, ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected, stdout, stderr, workDir)),
            "rehearse" => Rehearsal.RehearseCommand.RunAsync(args[1..], stdout, stderr, workDir),
            "help" or "--help" or "-h" => Task.FromResult(ShowUsage(null, stdout, stderr)),
            _ => Task.FromResult(ShowUsage($"unknown verb '{args[0]}'", stdout, stderr)),
        };
    }

    /// <summary>The program a stack runs: config is read and validated first, before any resource exists.</summary>
    public static Func<IDictionary<string, object?>>? ProgramFor(string stack) => StackName(stack) switch
    {
        OffsiteStack.Name => () => OffsiteStack.Run(new PulumiConfigSource()).Outputs,
        ClusterStack.Name => () => ClusterStack.Run().Outputs,
        _ => null,
    };

    /// <summary>The bare stack name: PULUMI_STACK may be qualified (org/project/stack).</summary>
    public static string StackName(string stack) => stack[(stack.LastIndexOf('/') + 1)..];

    private static Task<int> RunUnderEngineAsync(string stack)
    {
        var program = ProgramFor(stack);
        if (program is null)
        {
            Console.Error.WriteLine($"boma: no program for stack '{stack}' (known: {OffsiteStack.Name}, {ClusterStack.Name}); select one with `pulumi stack select offsite`.");
            return Task.FromResult(UsageExit);
        }

        return Deployment.RunAsync(program);
    }

    private static int ShowUsage(string? problem, TextWriter stdout, TextWriter stderr)
    {
        if (problem is not null)
        {
            stderr.WriteLine($"boma: {problem}");
        }

        (problem is null ? stdout : stderr).WriteLine(Usage);
        return problem is null ? 0 : UsageExit;
    }
}
