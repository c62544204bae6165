using Boma.Infra.Config;
using Boma.Infra.Stacks;

namespace Boma.Infra.Cli;

/// <summary>Chooses between running under the Pulumi engine and running one of the offline verbs.</summary>
internal static class Entry
{
    /// <summary>EX_USAGE from sysexits.h: the command line was wrong.</summary>
    public const int UsageExit = 64;

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
    public static Task<int> RunVerbAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, string workDir) =>
        OfflineVerbs.RunAsync(args, stdin, stdout, stderr, workDir);

    /// <summary>
    /// The program a stack runs: config is read and validated first, before any resource exists. The secret keys
    /// are the engine's (PULUMI_CONFIG_SECRET_KEYS) unless given (offline plan, tests).
    /// </summary>
    public static Func<IDictionary<string, object?>>? ProgramFor(string stack, IEnumerable<string>? secretKeys = null) =>
        StackCatalogue.Find(stack) is { } entry
            ? () => entry.Run(secretKeys is null ? new PulumiConfigSource() : new PulumiConfigSource(secretKeys)).Outputs
            : null;

    /// <summary>The bare stack name: PULUMI_STACK may be qualified (org/project/stack).</summary>
    private static string StackBareName(string stack) => stack[(stack.LastIndexOf('/') + 1)..];

    private static Task<int> RunUnderEngineAsync(string stack)
    {
        var program = ProgramFor(stack);
        if (program is null)
        {
            Console.Error.WriteLine($"boma: no program for stack '{stack}' (known: {StackCatalogue.Names}); select one with `pulumi stack select offsite`.");
            return Task.FromResult(UsageExit);
        }

        // The engine hands the config over as JSON; unknown or misspelt keys stop the run before any resource.
        var errors = ConfigSchema.Check(StackBareName(stack), EngineConfig(Environment.GetEnvironmentVariable("PULUMI_CONFIG")),
            EngineSecretKeys(Environment.GetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS")));
        if (errors.Count > 0)
        {
            Console.Error.WriteLine(new ConfigValidationException(StackBareName(stack), errors).Message);
            return Task.FromResult(1);
        }

        return Pulumi.Deployment.RunAsync(program);
    }

    internal static Dictionary<string, string> EngineConfig(string? json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return result;
        }

        try
        {
            foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(json)?.AsObject() ?? [])
            {
                result[key] = value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "";
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            // The SDK reports a malformed PULUMI_CONFIG itself.
        }

        return result;
    }

    internal static HashSet<string> EngineSecretKeys(string? json)
    {
        try
        {
            return string.IsNullOrEmpty(json)
                ? []
                : (System.Text.Json.Nodes.JsonNode.Parse(json)?.AsArray() ?? []).Select(n => n?.ToString() ?? "").ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return [];
        }
    }
}
