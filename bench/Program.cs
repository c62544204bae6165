using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Boma.Pulumi.LoopbackEngine;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Pulumirpc;

namespace Boma.Bench;

/// <summary>
/// Registers the same program shape three ways against the loopback fake engine and compares:
/// Boma.Pulumi and the official Node SDK each as a child process started like a language host
/// starts a program, and a bare in-process gRPC loop as the floor. See docs/benchmarks.md.
/// </summary>
internal static class Program
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> Main(string[] args)
    {
        var resources = IntOption(args, "--resources", 2000);
        var runs = IntOption(args, "--runs", 3);
        if (resources < 1 || runs < 1)
        {
            await Console.Error.WriteLineAsync("usage: bench [--resources N (≥1, default 2000)] [--runs R (≥1, default 3)]");
            return 2;
        }

        var root = FindRoot();
        var js = Path.Combine(root, "tests", "conformance-js");
        if (!Directory.Exists(ProgramLauncher.NodeRunner(js)))
        {
            await Console.Error.WriteLineAsync($"The official Node SDK is missing: run `npm ci` in {js}.");
            return 2;
        }

        var configuration = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BuildConfiguration").Value!;
        var programsDll = Path.Combine(root, "tests", "Boma.Pulumi.Conformance.Programs", "bin", configuration, "net10.0", "Boma.Pulumi.Conformance.Programs.dll");
        var groups = (resources + 9) / 10;
        var expected = 1 + groups + resources;

        PrintMachine(configuration);
        Console.WriteLine($"shape: {resources} text resources in {groups} components (parent chains of 5, dependency chains of 10, every 3rd input secret) = {expected} registrations per run, {runs} run(s) each, median reported");

        var contestants = new (string Name, Func<int, Task<Measurement>> Run)[]
        {
            ("bare gRPC (floor, in-process)", n => FloorAsync(n)),
            ("Boma.Pulumi (child process)", n => ChildAsync(n, address => ProgramLauncher.Dotnet(programsDll, ["bench"], address, Settings(n)))),
            ("Node SDK 3.270.0 (child process)", n => ChildAsync(n, address => ProgramLauncher.Node(js, Path.Combine(js, "bench"), address, Settings(n)))),
        };

        // One small warm-up each: disk caches, the fake's own JIT.
        foreach (var (name, run) in contestants)
        {
            var warm = await run(10);
            if (!warm.Ok(1 + 1 + 10))
            {
                await Console.Error.WriteLineAsync($"{name} failed its warm-up run:\n{warm.Failure}");
                return 1;
            }
        }

        var results = contestants.Select(_ => new List<Measurement>()).ToArray();
        for (var r = 0; r < runs; r++)
        {
            // Interleaved, so drift on the shared machine hits every contestant alike.
            for (var c = 0; c < contestants.Length; c++)
            {
                var m = await contestants[c].Run(resources);
                if (!m.Ok(expected))
                {
                    await Console.Error.WriteLineAsync($"{contestants[c].Name} failed (expected {expected} registrations, saw {m.Registrations}):\n{m.Failure}");
                    return 1;
                }

                results[c].Add(m);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"contestant",-34} {"wall ms",9} {"first RPC ms",13} {"registrations/s",16} {"peak RSS MiB",13}   all wall ms");
        var medians = new Measurement[contestants.Length];
        for (var c = 0; c < contestants.Length; c++)
        {
            var sorted = results[c].OrderBy(m => m.Wall).ToList();
            var median = sorted[sorted.Count / 2];
            medians[c] = median;
            var rss = median.PeakRssBytes > 0 ? (median.PeakRssBytes / 1048576.0).ToString("0", Inv) : "n/a";
            Console.WriteLine(string.Create(Inv,
                $"{contestants[c].Name,-34} {median.Wall.TotalMilliseconds,9:0} {median.FirstRpc.TotalMilliseconds,13:0} {median.Registrations / median.Wall.TotalSeconds,16:0} {rss,13}   {string.Join(" ", results[c].Select(m => m.Wall.TotalMilliseconds.ToString("0", Inv)))}"));
        }

        Console.WriteLine(string.Create(Inv, $"ratio node/boma: {medians[2].Wall.TotalMilliseconds / medians[1].Wall.TotalMilliseconds:0.00}"));
        return 0;
    }

    private static LaunchSettings Settings(int n) => new()
    {
        Project = "bench",
        Stack = "bench",
        ExtraEnvironment = new Dictionary<string, string> { ["BOMA_SCENARIO_RESOURCES"] = n.ToString(Inv) },
    };

    private static async Task<Measurement> ChildAsync(int n, Func<string, ProgramSpec> spec)
    {
        await using var engine = await LoopbackEngine.StartAsync(new LoopbackEngineOptions { Project = "bench", Stack = "bench" });
        var result = await ProgramLauncher.RunAsync(spec(engine.Address), TimeSpan.FromMinutes(10));
        var calls = engine.Recorder.Calls;
        var first = calls.Count > 0 ? Stopwatch.GetElapsedTime(result.StartedAt, calls.Min(c => c.ReceivedAt)) : TimeSpan.Zero;
        var ok = result.ExitCode == 0 && !result.HungAndKilled;
        return new Measurement(result.WallTime, first, calls.Count(c => c.Method == "RegisterResource"), result.PeakRssBytes,
            ok ? null : $"exit {result.ExitCode}, hung: {result.HungAndKilled}\n{result.Output}");
    }

    /// <summary>The same registrations, prebuilt, sent as fast as one gRPC client can: what the fake itself costs.</summary>
    private static async Task<Measurement> FloorAsync(int n)
    {
        await using var engine = await LoopbackEngine.StartAsync(new LoopbackEngineOptions { Project = "bench", Stack = "bench" });
        var clock = Stopwatch.StartNew();
        using var channel = GrpcChannel.ForAddress("http://" + engine.Address);
        var client = new ResourceMonitor.ResourceMonitorClient(channel);
        var stack = await client.RegisterResourceAsync(new RegisterResourceRequest { Type = "pulumi:pulumi:Stack", Name = "bench-bench", Object = new Struct() });

        var pending = new List<Task>();
        string? parent = null;
        for (var g = 0; g * 10 < n; g++)
        {
            parent = g % 5 == 0 ? stack.Urn : parent;
            var group = await client.RegisterResourceAsync(new RegisterResourceRequest { Type = "bench:index:Group", Name = $"g{g}", Parent = parent, Object = new Struct() });
            parent = group.Urn;
            for (var k = 0; k < 10 && (g * 10) + k < n; k++)
            {
                var inputs = new Struct();
                inputs.Fields["text"] = Value.ForString($"g{g}-{k}");
                var request = new RegisterResourceRequest
                {
                    Type = "simple:index:Text", Name = $"g{g}-r{k}", Parent = group.Urn, Custom = true, Object = inputs,
                    Version = "2.0.0", AcceptSecrets = true, AcceptResources = true, SupportsPartialValues = true,
                };
                pending.Add(client.RegisterResourceAsync(request).ResponseAsync);
            }
        }

        await Task.WhenAll(pending);
        await client.RegisterResourceOutputsAsync(new RegisterResourceOutputsRequest { Urn = stack.Urn, Outputs = new Struct() });
        await client.SignalAndWaitForShutdownAsync(new Empty());
        clock.Stop();
        return new Measurement(clock.Elapsed, TimeSpan.Zero, engine.Recorder.Count("RegisterResource"), 0, null);
    }

    private sealed record Measurement(TimeSpan Wall, TimeSpan FirstRpc, int Registrations, long PeakRssBytes, string? Failure)
    {
        public bool Ok(int expected) => Failure is null && Registrations == expected;
    }

    private static void PrintMachine(string configuration)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        var nodeVersion = node.StandardOutput.ReadToEnd().Trim();
        node.WaitForExit();
        Console.WriteLine($"machine: {cpu}, {Environment.ProcessorCount} cores, {memory}, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"runtimes: .NET {RuntimeInformation.FrameworkDescription} ({configuration} build), node {nodeVersion}");
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, Inv, out var v) ? v : (i >= 0 ? -1 : fallback);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Boma.Infra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Boma.Infra.sln not found above the benchmark's binary");
    }
}
