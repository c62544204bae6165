using Boma.Infra.Stacks;

namespace Boma.Infra.Cli;

/// <summary>The offline verbs (default build only: they run the stacks on Boma.Pulumi's recording monitor).</summary>
internal static class OfflineVerbs
{
    public static string Usage => $"""
        usage: boma <verb> [arguments]
          plan <stack> [--json] [--out DIR]   preview a stack offline (no credentials, no engine)
          guard [options]                      check `pulumi preview --json` against the invariants (see docs/guard.md)
          runbook offsite [--input F] [--out P] [--with-secrets]   write the road-warrior runbook from stack outputs
          rehearse offsite [--report FILE] [--keep]   deploy on a booted Debian 13 lab machine and check it (root; docs/rehearsal.md)
        Under `pulumi up/preview` (PULUMI_MONITOR set) the stack named by PULUMI_STACK runs instead.
        stacks: {StackCatalogue.Names}
        """;

    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, string workDir)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return args.Length == 0 ? Task.FromResult(ShowUsage("no verb given", stdout, stderr)) : GuardedAsync(args[0], stderr, () => args[0] switch
        {
            "plan" => PlanCommand.RunAsync(args[1..], stdout, stderr, workDir),
            "guard" => Task.FromResult(GuardCommand.Run(args[1..], stdin, stdout, stderr)),
            // Reading an interactive terminal would just wait: the verb asks for piped outputs instead.
            "runbook" => Task.FromResult(RunbookCommand.Run(args[1..], stdin, ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected, stdout, stderr, workDir)),
            "rehearse" => Rehearsal.RehearseCommand.RunAsync(args[1..], stdout, stderr, workDir),
            "help" or "--help" or "-h" => Task.FromResult(ShowUsage(null, stdout, stderr)),
            _ => Task.FromResult(ShowUsage($"unknown verb '{args[0]}'", stdout, stderr)),
        });
    }

    /// <summary>Exit code of a verb that failed in a way it did not foresee: one line, no stack trace.</summary>
    public const int InternalError = 70;

    private static async Task<int> GuardedAsync(string verb, TextWriter stderr, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await stderr.WriteLineAsync($"boma {Config.Addresses.Show(verb)}: internal error ({e.GetType().Name}): {Config.Addresses.Show(e.Message, 2000)}");
            return InternalError;
        }
    }

    private static int ShowUsage(string? problem, TextWriter stdout, TextWriter stderr)
    {
        if (problem is not null)
        {
            stderr.WriteLine($"boma: {problem}");
        }

        (problem is null ? stdout : stderr).WriteLine(Usage);
        return problem is null ? 0 : Entry.UsageExit;
    }
}
