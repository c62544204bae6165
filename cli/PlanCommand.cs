using System.Collections.Immutable;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Policy;
using Boma.Infra.Stacks;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Cli;

/// <summary>
/// `boma plan &lt;stack&gt; [--json] [--out DIR]`: runs the stack program in preview mode against the
/// SDK's in-process recording monitor (no engine, no credentials), with the config from
/// Pulumi.&lt;stack&gt;.yaml, and prints what `pulumi preview` would create. Exits 0 on success, 1 when
/// the config is invalid or the program fails, 64 on a usage error.
/// </summary>
internal static class PlanCommand
{
    public const int Success = 0;
    public const int Failed = 1;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string workDir)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var options = PlanOptions.Parse(args, out var problem);
        if (options is null)
        {
            await stderr.WriteLineAsync($"boma plan: {problem} ({PlanOptions.Usage})");
            return Entry.UsageExit;
        }

        var stack = StackCatalogue.Find(options.Stack);
        if (stack is null)
        {
            await stderr.WriteLineAsync($"boma plan: unknown stack '{Addresses.Show(options.Stack)}' ({PlanOptions.Usage})");
            return Entry.UsageExit;
        }

        var projectDir = FindProjectDir(workDir);
        if (projectDir is null)
        {
            await stderr.WriteLineAsync($"boma plan: no Pulumi.yaml in {workDir} or its parents; run the plan inside the boma checkout.");
            return Failed;
        }

        var stackFile = Path.Combine(projectDir, $"Pulumi.{options.Stack}.yaml");
        if (!File.Exists(stackFile))
        {
            await stderr.WriteLineAsync($"boma plan: {stackFile} does not exist; create it with `pulumi stack init {options.Stack}` and set its config (docs/offsite.md).");
            return Failed;
        }

        StackConfigFile config;
        try
        {
            config = StackConfigFile.Load(stackFile, stack.SecretKeys);
        }
        catch (Exception e) when (e is InvalidDataException or ConfigValidationException)
        {
            await stderr.WriteLineAsync($"boma plan: {e.Message}");
            return Failed;
        }

        if (options.OutDir is not null && OutDirProblem(Path.GetFullPath(options.OutDir, workDir)) is { } outProblem)
        {
            await stderr.WriteLineAsync($"boma plan: --out {Addresses.Show(options.OutDir, 500)}: {outProblem}");
            return Failed;
        }

        string project;
        try
        {
            project = ProjectName(projectDir);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"boma plan: {e.Message}");
            return Failed;
        }

        var (result, plan, build) = await RunAsync(project, options.Stack, config);
        if (result.Exception is not null)
        {
            await stderr.WriteLineAsync($"boma plan {options.Stack}: {Describe(result.Exception)}");
            return Failed;
        }

        await stdout.WriteAsync(options.Json ? PlanJsonRenderer.Render(plan) + "\n" : PlanTextRenderer.Render(plan));
        if (StackCatalogue.PlanMocks(stack, config.Values) is { } mocks)
        {
            await (options.Json ? stderr : stdout).WriteAsync(mocks.Note);
        }
        if (options.OutDir is not null && build is not null)
        {
            try
            {
                await WriteHostFilesAsync(build.HostFiles, Path.GetFullPath(options.OutDir, workDir), options.Json ? stderr : stdout);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"boma plan: --out {options.OutDir}: cannot write the host files: {OneLine(e.Message)}");
                return Failed;
            }
        }

        return Success;
    }

    /// <summary>Runs a stack's program as an offline preview; the build is null when the program failed early.</summary>
    public static async Task<(TestResult Result, PlanResult Plan, StackBuild? Build)> RunAsync(string project, string stack, StackConfigFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var entry = StackCatalogue.Find(stack) ?? throw new ArgumentException($"unknown stack '{stack}'", nameof(stack));
        StackBuild? build = null;
        Func<IDictionary<string, object?>> program = () => (build = entry.Run(new PulumiConfigSource(config.SecretKeys))).Outputs;
        var options = new TestOptions
        {
            ProjectName = project,
            StackName = stack,
            Config = config.Values,
            SecretKeys = config.SecretKeys,
        };
        var result = StackCatalogue.PlanMocks(entry, config.Values) is { } mocks
            ? await Deployment.TestAsync(mocks.Mocks, () => Task.FromResult(program()), AsPreview(options))
            : await Deployment.PlanAsync(() => Task.FromResult(program()), options);

        var outputs = result.OutputRegistrations.FirstOrDefault(o => o.Urn == result.StackUrn)?.Outputs ?? [];

        // Registrations arrive as their inputs resolve, which varies run to run; the program's construction order does not.
        var constructed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var resource in result.Resources)
        {
            var data = await resource.Urn.GetOutputDataAsync();
            if (data.IsKnown && data.Value is { } urn)
            {
                constructed.TryAdd(urn, constructed.Count);
            }
        }

        var plan = new PlanResult
        {
            Project = project,
            Stack = stack,
            Resources = result.Registrations
                .Select((r, i) => (Order: constructed.TryGetValue(r.Urn, out var n) ? n : int.MaxValue, Index: i, Registration: r))
                .OrderBy(x => x.Registration.Urn == result.StackUrn ? -1 : x.Order)
                .ThenBy(x => x.Index)
                .Select(x => RegistrationAdapter.FromRecorded(x.Registration))
                .ToList(),
            Outputs = outputs,
            Config = config.Values,
            SecretKeys = config.SecretKeys,
            Placeholders = config.Placeholders,
            Diagnostics = result.Logs
                .Where(l => l.Severity != Pulumirpc.LogSeverity.Debug)
                .Select(l => new PlanDiagnostic(l.Severity.ToString().ToLowerInvariant(), l.Message, l.Urn))
                .ToList(),
        };
        return (result, plan, build);
    }

    private static TestOptions AsPreview(TestOptions options)
    {
        options.IsPreview = true;
        return options;
    }

    /// <summary>Writes every host file whose content is known; the rest depend on cloud-assigned values and are listed.</summary>
    internal static async Task WriteHostFilesAsync(ImmutableArray<HostFile> files, string outDir, TextWriter report)
    {
        var written = new List<string>();
        var pending = new List<string>();
        foreach (var file in files)
        {
            var data = await file.Content.GetOutputDataAsync();
            if (!data.IsKnown)
            {
                pending.Add(file.Path);
                continue;
            }

            if (data.IsSecret)
            {
                // Components never hand out secret host files; refuse rather than write one.
                throw new InvalidOperationException($"host file {file.Path} is secret and must not be written");
            }

            var target = Path.Combine(outDir, file.Path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllTextAsync(target, data.Value);
            written.Add(target);
        }

        await report.WriteLineAsync($"\nHost files written to {outDir}:");
        foreach (var path in written)
        {
            await report.WriteLineAsync($"    {path}");
        }

        foreach (var path in pending)
        {
            await report.WriteLineAsync($"    {path}: not written, it needs values {PlanValues.KnownAfterApply}");
        }
    }

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is ConfigValidationException or NotSupportedException)
            {
                return inner.Message;
            }
        }

        // Never a stack trace on the console: the first line says what failed.
        var message = e is AggregateException { InnerException: { } first } ? first : e;
        return $"the program failed: {message.GetType().Name}: {OneLine(message.Message)}";
    }

    private static string? FindProjectDir(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string ProjectName(string projectDir)
    {
        var path = Path.Combine(projectDir, "Pulumi.yaml");
        var root = StrictYaml.Parse(File.ReadAllText(path), path);
        return root is System.Text.Json.Nodes.JsonObject doc && doc["name"] is System.Text.Json.Nodes.JsonValue v
               && v.TryGetValue(out string? name) && name.Length > 0
            ? name
            : "boma";
    }

    /// <summary>Why --out cannot be used as the host-file directory (a file, under a file, a device), or null.</summary>
    internal static string? OutDirProblem(string fullPath) => OutPath.DirectoryProblem(fullPath);

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
