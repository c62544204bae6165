using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>
/// Starts Pulumi programs the way the engine's language hosts do, pointed at a loopback engine:
/// the official Node SDK through its <c>cmd/run</c> entry, a C# program through the dotnet host's
/// environment handshake (docs/design/pulumi-protocol.md, "What the language host gives the program" and "Launching the official Node SDK").
/// </summary>
public static class ProgramLauncher
{
    /// <summary>The Node SDK's program runner inside <c>tests/conformance-js/node_modules</c>.</summary>
    public static string NodeRunner(string conformanceJsDirectory) =>
        Path.Combine(conformanceJsDirectory, "node_modules", "@pulumi", "pulumi", "cmd", "run");

    public static ProgramSpec Node(string conformanceJsDirectory, string programDirectory, string engineAddress, LaunchSettings settings)
    {
        var runner = NodeRunner(conformanceJsDirectory);
        if (!Directory.Exists(runner))
        {
            throw new InvalidOperationException(
                $"The official Node SDK is not installed: '{runner}' is missing. Run `npm ci` in {conformanceJsDirectory}.");
        }

        var arguments = new List<string>
        {
            runner,
            $"--monitor={engineAddress}",
            $"--engine={engineAddress}",
            $"--project={settings.Project}",
            $"--stack={settings.Stack}",
            $"--organization={settings.Organization}",
        };
        if (settings.Preview)
        {
            arguments.Add("--dry-run");
        }

        arguments.Add(programDirectory);

        // cmd/run turns its flags into the PULUMI_NODEJS_* variables itself; config comes from the environment.
        var environment = BaseEnvironment();
        AddConfig(environment, settings);
        return new ProgramSpec("node", arguments, programDirectory, environment);
    }

    /// <summary><c>dotnet program.dll args…</c>, as the dotnet host runs a prebuilt <c>binary</c>.</summary>
    public static ProgramSpec Dotnet(string programDll, IReadOnlyList<string> programArguments, string engineAddress, LaunchSettings settings)
    {
        if (!File.Exists(programDll))
        {
            throw new InvalidOperationException($"The C# program is not built: '{programDll}' is missing. Build the solution first.");
        }

        var environment = BaseEnvironment();
        environment["PULUMI_MONITOR"] = engineAddress;
        environment["PULUMI_ENGINE"] = engineAddress;
        environment["PULUMI_PROJECT"] = settings.Project;
        environment["PULUMI_STACK"] = settings.Stack;
        environment["PULUMI_ORGANIZATION"] = settings.Organization;
        environment["PULUMI_DRY_RUN"] = settings.Preview ? "true" : "false";
        environment["PULUMI_QUERY_MODE"] = "false";
        // The CLI's default --parallel is 4 × GOMAXPROCS.
        environment["PULUMI_PARALLEL"] = (4 * Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture);
        environment["PULUMI_ATTACH_DEBUGGER"] = "false";
        AddConfig(environment, settings);
        return new ProgramSpec("dotnet", [programDll, .. programArguments], Path.GetDirectoryName(programDll)!, environment);
    }

    /// <summary>Runs to completion; a run longer than <paramref name="hangGuard"/> is killed and reported as hung.</summary>
    /// <param name="started">Given the child's process id as soon as it is started.</param>
    public static async Task<ProgramResult> RunAsync(ProgramSpec spec, TimeSpan hangGuard, Action<int>? started = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in spec.Environment)
        {
            start.Environment[key] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);

        var startedAt = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        process.Start();
        started?.Invoke(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SamplePeakRssAsync(process.Id, sampling.Token);

        var hung = false;
        using (var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            guard.CancelAfter(hangGuard);
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                hung = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        clock.Stop();
        await sampling.CancelAsync();
        var peak = await sampler;

        // WaitForExitAsync returns after the redirected streams reached end of file.
        string Text(StringBuilder sb)
        {
            lock (sb)
            {
                return sb.ToString();
            }
        }

        return new ProgramResult(process.ExitCode, Text(stdout), Text(stderr), clock.Elapsed, peak, hung, startedAt);
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.AppendLine(line);
        }
    }

    /// <summary>VmHWM (peak resident set) of the child, read from /proc until the child is gone.</summary>
    private static async Task<long> SamplePeakRssAsync(int pid, CancellationToken token)
    {
        var path = $"/proc/{pid}/status";
        long peak = 0;
        while (true)
        {
            try
            {
                foreach (var line in await File.ReadAllLinesAsync(path, CancellationToken.None))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                        peak = Math.Max(peak, kb * 1024);
                    }
                }
            }
            catch (IOException)
            {
                // The process has exited (or is a zombie without a memory map).
            }
            catch (UnauthorizedAccessException)
            {
            }

            if (token.IsCancellationRequested)
            {
                return peak;
            }

            try
            {
                await Task.Delay(10, token);
            }
            catch (OperationCanceledException)
            {
                return peak;
            }
        }
    }

    private static Dictionary<string, string> BaseEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            // Nothing of an outer Pulumi run (or the test runner's own config) may leak into the program.
            if (!key.StartsWith("PULUMI_", StringComparison.Ordinal))
            {
                environment[key] = (string?)entry.Value ?? string.Empty;
            }
        }

        return environment;
    }

    private static void AddConfig(Dictionary<string, string> environment, LaunchSettings settings)
    {
        // As the dotnet host: PULUMI_CONFIG only when there is config, the secret key list always.
        if (settings.Config.Count > 0)
        {
            environment["PULUMI_CONFIG"] = JsonSerializer.Serialize(settings.Config);
        }

        environment["PULUMI_CONFIG_SECRET_KEYS"] = JsonSerializer.Serialize(settings.SecretKeys);
        foreach (var (key, value) in settings.ExtraEnvironment)
        {
            environment[key] = value;
        }
    }
}
