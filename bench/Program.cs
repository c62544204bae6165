using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Boma.Pulumi.LoopbackEngine;

namespace Boma.Bench;

/// <summary>
/// Registers the same program shape with several contestants against the loopback fake engine, each a
/// child process started like a language host starts a program: the bare gRPC floor (the bench
/// program's requests written out by hand), Boma.Pulumi, the official Node SDK and, given a path, a
/// program built against the official .NET SDK outside this repository. Reports start-up (launch →
/// first request) and registration (first request → shutdown signal) apart, as ratios to the floor.
/// See docs/benchmarks.md.
/// </summary>
internal static partial class Program
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const string Usage =
        "usage: bench [--resources N (≥1, default 2000)] [--runs R (≥1, default 3)] [--official-dotnet PROGRAM.dll] [--without-node] [--wrap 'valgrind --tool=callgrind …']";

    public static async Task<int> Main(string[] args)
    {
        var resources = IntOption(args, "--resources", 2000);
        var runs = IntOption(args, "--runs", 3);
        var official = StringOption(args, "--official-dotnet");
        var withNode = !args.Contains("--without-node");
        // A tool that runs the .NET contestants (e.g. callgrind, for instruction counts that the load on
        // a shared machine does not move); its own output goes to the files it is told to write.
        var wrap = StringOption(args, "--wrap", isPath: false)?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (resources < 1 || runs < 1 || official == "" || wrap is [])
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var root = FindRoot();
        var js = Path.Combine(root, "tests", "conformance-js");
        if (withNode && !Directory.Exists(ProgramLauncher.NodeRunner(js)))
        {
            await Console.Error.WriteLineAsync($"The official Node SDK is missing: run `npm ci` in {js} (or pass --without-node).");
            return 2;
        }

        if (official is not null && !File.Exists(official))
        {
            await Console.Error.WriteLineAsync($"--official-dotnet: '{official}' does not exist; pass the built program's .dll (docs/benchmarks.md).");
            return 2;
        }

        var configuration = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BuildConfiguration").Value!;
        var programsDll = Path.Combine(root, "tests", "Boma.Pulumi.Conformance.Programs", "bin", configuration, "net10.0", "Boma.Pulumi.Conformance.Programs.dll");
        var floorDll = Path.Combine(root, "bench", "Floor", "bin", configuration, "net10.0", "Boma.Bench.Floor.dll");
        var groups = (resources + 9) / 10;
        var expected = 1 + groups + resources;

        // The two .NET contestants run with the same runtime settings (Directory.Build.props sets them for both), or the
        // ratios would compare settings, not the SDK's work.
        var floorRuntime = RuntimeSettings(floorDll);
        var bomaRuntime = RuntimeSettings(programsDll);
        if (floorRuntime != bomaRuntime)
        {
            await Console.Error.WriteLineAsync($"The two .NET contestants are built with different runtime settings: floor {floorRuntime}; Boma.Pulumi {bomaRuntime}. Build both with the same properties.");
            return 2;
        }

        PrintMachine(configuration, withNode);
        Console.WriteLine($"runtime settings of both .NET contestants (runtimeconfig.json): {floorRuntime}");
        Console.WriteLine($"shape: {resources} text resources in {groups} components (parent chains of 5, dependency chains of 10, every 3rd input secret) = {expected} registrations per run, {runs} run(s) each, interleaved, medians reported");

        var contestants = new List<Contestant>
        {
            new("bare gRPC floor", address => Wrap(wrap, ProgramLauncher.Dotnet(floorDll, [], address, Settings(resources))), SameRequestsAsFloor: true),
            new("Boma.Pulumi", address => Wrap(wrap, ProgramLauncher.Dotnet(programsDll, ["bench"], address, Settings(resources))), SameRequestsAsFloor: true),
        };
        if (official is not null)
        {
            contestants.Add(new("official .NET SDK", address => Wrap(wrap, ProgramLauncher.Dotnet(official, [], address, Settings(resources))), SameRequestsAsFloor: false));
        }

        if (withNode)
        {
            contestants.Add(new("Node SDK 3.270.0", address => ProgramLauncher.Node(js, Path.Combine(js, "bench"), address, Settings(resources)), SameRequestsAsFloor: false));
        }

        // One small warm-up each (disk caches, the fake's own JIT), which also proves the floor sends
        // exactly Boma's requests at a size where that is quick to show.
        var warmups = new List<Measurement>();
        foreach (var contestant in contestants)
        {
            var warm = await RunAsync(contestant, WarmSpec(contestant, 25));
            if (!warm.Ok(1 + 3 + 25))
            {
                await Console.Error.WriteLineAsync($"{contestant.Name} failed its warm-up run:\n{warm.Failure}");
                return 1;
            }

            warmups.Add(warm);
        }

        if (FirstDifference(warmups[0].Requests!, warmups[1].Requests!) is { } warmDiff)
        {
            await Console.Error.WriteLineAsync($"The floor no longer sends Boma.Pulumi's requests (fix bench/Floor):\n{warmDiff}");
            return 1;
        }

        var results = contestants.Select(_ => new List<Measurement>()).ToArray();
        for (var r = 0; r < runs; r++)
        {
            // Interleaved, so drift on the shared machine hits every contestant alike.
            for (var c = 0; c < contestants.Count; c++)
            {
                var m = await RunAsync(contestants[c], contestants[c].Spec);
                if (!m.Ok(expected))
                {
                    await Console.Error.WriteLineAsync($"{contestants[c].Name} failed (expected {expected} registrations, saw {m.Registrations}):\n{m.Failure}");
                    return 1;
                }

                results[c].Add(m);
            }

            if (FirstDifference(results[0][r].Requests!, results[1][r].Requests!) is { } diff)
            {
                await Console.Error.WriteLineAsync($"The floor did not send Boma.Pulumi's requests in run {r + 1}:\n{diff}");
                return 1;
            }

            foreach (var m in results.SelectMany(x => x))
            {
                m.DropRequests();
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"contestant",-20} {"start-up ms",12} {"×floor",7} {"start-up CPU ms",16} {"×floor",7} {"registration ms",16} {"×floor",7} {"exit ms",8} {"wall ms",8} {"CPU ms",7} {"×floor",7} {"peak RSS MiB",13}   all start-up / registration ms");
        var floor = Summary.Of(results[0]);
        var summaries = results.Select(Summary.Of).ToArray();
        for (var c = 0; c < contestants.Count; c++)
        {
            var s = summaries[c];
            Console.WriteLine(string.Create(Inv,
                $"{contestants[c].Name,-20} {s.StartUp,12:0} {s.StartUp / floor.StartUp,7:0.00} {s.StartUpCpu,16:0} {s.StartUpCpu / floor.StartUpCpu,7:0.00} {s.Registration,16:0} {s.Registration / floor.Registration,7:0.00} {s.Exit,8:0} {s.Wall,8:0} {s.Cpu,7:0} {s.Cpu / floor.Cpu,7:0.00} {s.PeakRssMiB,13:0}   {string.Join(" ", results[c].Select(m => $"{m.StartUp.TotalMilliseconds:0}/{m.Registration.TotalMilliseconds:0}"))}"));
        }

        Console.WriteLine(string.Create(Inv, $"ratio boma/floor: start-up {summaries[1].StartUp / floor.StartUp:0.00}, start-up CPU {summaries[1].StartUpCpu / floor.StartUpCpu:0.00}, registration {summaries[1].Registration / floor.Registration:0.00}, CPU {summaries[1].Cpu / floor.Cpu:0.00}"));
        if (withNode)
        {
            Console.WriteLine(string.Create(Inv, $"ratio node/boma: {summaries[^1].Wall / summaries[1].Wall:0.00}"));
        }

        return 0;
    }

    private static ProgramSpec Wrap(string[]? wrap, ProgramSpec spec) =>
        wrap is null ? spec : spec with { FileName = wrap[0], Arguments = [.. wrap[1..], spec.FileName, .. spec.Arguments] };

    private sealed record Contestant(string Name, Func<string, ProgramSpec> Spec, bool SameRequestsAsFloor);

    private static Func<string, ProgramSpec> WarmSpec(Contestant contestant, int n) => address =>
    {
        var spec = contestant.Spec(address);
        var environment = new Dictionary<string, string>(spec.Environment) { ["BOMA_SCENARIO_RESOURCES"] = n.ToString(Inv) };
        return spec with { Environment = environment };
    };

    private static LaunchSettings Settings(int n) => new()
    {
        Project = "bench",
        Stack = "bench",
        ExtraEnvironment = new Dictionary<string, string> { ["BOMA_SCENARIO_RESOURCES"] = n.ToString(Inv) },
    };

    private static async Task<Measurement> RunAsync(Contestant contestant, Func<string, ProgramSpec> spec)
    {
        await using var engine = await LoopbackEngine.StartAsync(new LoopbackEngineOptions { Project = "bench", Stack = "bench" });
        // The child's CPU time when its first request arrives: start-up work that, unlike the start-up's wall
        // time, other jobs on a shared machine hardly move.
        var pid = 0;
        var startUpCpu = TimeSpan.MinValue;
        engine.Recorder.OnFirstCall = () => startUpCpu = ProcessCpu(Volatile.Read(ref pid));
        var cpuBefore = ChildrenCpu();
        var result = await ProgramLauncher.RunAsync(spec(engine.Address), TimeSpan.FromMinutes(10), started: id => Volatile.Write(ref pid, id));
        var cpu = ChildrenCpu() - cpuBefore;
        var calls = engine.Recorder.Calls;
        var ok = result.ExitCode == 0 && !result.HungAndKilled && calls.Count > 0;
        var exitAt = result.StartedAt + (long)(result.WallTime.TotalSeconds * Stopwatch.Frequency);
        var first = calls.Count > 0 ? calls.Min(c => c.ReceivedAt) : exitAt;
        var shutdown = calls.LastOrDefault(c => c.Method == "SignalAndWaitForShutdown")?.ReceivedAt ?? exitAt;
        var requests = contestant.SameRequestsAsFloor
            ? calls.Select(c => $"{c.Rpc} {c.RequestJson}").Order(StringComparer.Ordinal).ToList()
            : null;
        return new Measurement(
            Stopwatch.GetElapsedTime(result.StartedAt, first),
            Stopwatch.GetElapsedTime(first, shutdown),
            Stopwatch.GetElapsedTime(shutdown, exitAt),
            result.WallTime,
            cpu,
            startUpCpu,
            calls.Count(c => c.Method == "RegisterResource"),
            result.PeakRssBytes,
            requests,
            ok && startUpCpu >= TimeSpan.Zero ? null : $"exit {result.ExitCode}, hung: {result.HungAndKilled}, start-up CPU read: {startUpCpu >= TimeSpan.Zero}\n{result.Output}");
    }

    private static string? FirstDifference(IReadOnlyList<string> floor, IReadOnlyList<string> boma)
    {
        for (var i = 0; i < Math.Max(floor.Count, boma.Count); i++)
        {
            var f = i < floor.Count ? floor[i] : "(none)";
            var b = i < boma.Count ? boma[i] : "(none)";
            if (f != b)
            {
                return $"request {i + 1} of {floor.Count} (floor) / {boma.Count} (Boma.Pulumi), sorted:\n  floor: {f}\n  boma:  {b}";
            }
        }

        return null;
    }

    private sealed record Measurement(TimeSpan StartUp, TimeSpan Registration, TimeSpan Exit, TimeSpan Wall, TimeSpan Cpu, TimeSpan StartUpCpu, int Registrations, long PeakRssBytes, IReadOnlyList<string>? Requests, string? Failure)
    {
        public IReadOnlyList<string>? Requests { get; private set; } = Requests;

        public bool Ok(int expected) => Failure is null && Registrations == expected;

        public void DropRequests() => Requests = null;
    }

    /// <summary>Medians of each phase taken separately (milliseconds).</summary>
    private sealed record Summary(double StartUp, double Registration, double Exit, double Wall, double Cpu, double StartUpCpu, double PeakRssMiB)
    {
        public static Summary Of(List<Measurement> runs) => new(
            Median(runs.Select(m => m.StartUp.TotalMilliseconds)),
            Median(runs.Select(m => m.Registration.TotalMilliseconds)),
            Median(runs.Select(m => m.Exit.TotalMilliseconds)),
            Median(runs.Select(m => m.Wall.TotalMilliseconds)),
            Median(runs.Select(m => m.Cpu.TotalMilliseconds)),
            Median(runs.Select(m => m.StartUpCpu.TotalMilliseconds)),
            Median(runs.Select(m => m.PeakRssBytes / 1048576.0)));

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    /// <summary>User + system CPU of a running process so far (/proc/PID/stat, all its threads; clock ticks of 10 ms),
    /// or <see cref="TimeSpan.MinValue"/> when it cannot be read.</summary>
    private static TimeSpan ProcessCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) in parentheses: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return TimeSpan.MinValue;
        }
    }

    private static readonly long ClockTicksPerSecond = SysConf(2 /* _SC_CLK_TCK */);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    /// <summary>User + system CPU of every child reaped so far (getrusage RUSAGE_CHILDREN): a child's CPU
    /// time moves far less than its wall time when other jobs load the machine.</summary>
    private static TimeSpan ChildrenCpu()
    {
        if (GetRUsage(-1, out var usage) != 0)
        {
            return TimeSpan.Zero;
        }

        var micros = ((usage.UserSeconds + usage.SystemSeconds) * 1_000_000) + usage.UserMicros + usage.SystemMicros;
        return TimeSpan.FromMicroseconds(micros);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public Rest14 Rest;
    }

    [System.Runtime.CompilerServices.InlineArray(14)]
    private struct Rest14
    {
        private long _first;
    }

    private static void PrintMachine(string configuration, bool withNode)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var nodeVersion = "not run";
        if (withNode)
        {
            var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
            nodeVersion = node.StandardOutput.ReadToEnd().Trim();
            node.WaitForExit();
        }

        Console.WriteLine($"machine: {cpu}, {Environment.ProcessorCount} cores, {memory}, {RuntimeInformation.OSDescription}, load average {load} at start");
        Console.WriteLine($"runtimes: {RuntimeInformation.FrameworkDescription} ({configuration} build), node {nodeVersion}");
    }

    /// <summary>The configProperties of the program's built runtimeconfig.json, sorted, as one line.</summary>
    private static string RuntimeSettings(string dll)
    {
        var path = Path.ChangeExtension(dll, ".runtimeconfig.json");
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        return config.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
            ? string.Join(", ", properties.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetRawText()}").Order(StringComparer.Ordinal))
            : "(none)";
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, Inv, out var v) ? v : (i >= 0 ? -1 : fallback);
    }

    /// <summary>The option's value, null when absent, "" when given without one.</summary>
    private static string? StringOption(string[] args, string name, bool isPath = true)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return null;
        }

        return i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? (isPath ? Path.GetFullPath(args[i + 1]) : args[i + 1])
            : "";
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
