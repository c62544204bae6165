namespace Boma.Infra.Cli;

/// <summary>
/// The official-SDK build (`-p:PulumiSdk=official`) has no offline verbs: plan, guard and runbook run the stacks on
/// Boma.Pulumi's in-process recording monitor, which the official SDK does not have. Only `pulumi up/preview` runs it.
/// </summary>
internal static class OfflineVerbs
{
    public const string Usage = """
        usage: this build runs only under `pulumi up/preview` (PULUMI_MONITOR set), as the stack named by PULUMI_STACK.
        It was built with -p:PulumiSdk=official, against the official Pulumi NuGet packages. The offline verbs
        (plan, guard, runbook) use Boma.Pulumi's in-process recording monitor and exist only in the default build:
          dotnet run -- plan offsite
        See README.md, "Choosing the SDK".
        """;

    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, string workDir)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        _ = stdin;
        _ = workDir;
        if (args is ["help" or "--help" or "-h"])
        {
            stdout.WriteLine(Usage);
            return Task.FromResult(0);
        }

        stderr.WriteLine(args.Length == 0 ? "boma: no verb given" : $"boma: '{args[0]}' is not in this build (official SDK)");
        stderr.WriteLine(Usage);
        return Task.FromResult(Entry.UsageExit);
    }
}
