using Boma.Infra.Rehearsal.Deploy;
using Boma.Infra.Tests.Config;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>A deploy of the offsite program with the valid test config, its state in a temp directory.</summary>
internal sealed class DeployFixture : IDisposable
{
    public const string Ipv4 = "10.77.0.2";
    public const string Ipv6 = "fd77::2";

    public DeployFixture(Action<Dictionary<string, string>>? edit = null)
    {
        StateDirectory = Directory.CreateTempSubdirectory("boma-deploy-test-").FullName;
        Values = ValidConfig.Values();
        edit?.Invoke(Values);
    }

    public string StateDirectory { get; }

    public Dictionary<string, string> Values { get; }

    public DeployInputs Inputs(int parallel = 8) => new()
    {
        Config = new DictionaryConfigSource(Values, ValidConfig.SecretKeys()),
        Ipv4 = Ipv4,
        Ipv6 = Ipv6,
        StateDirectory = StateDirectory,
        Parallel = parallel,
    };

    public async Task<(DeployGraph Graph, DeployReport Report, List<string> Log)> RunAsync(IRemoteShell shell, ExecuteHooks? hooks = null)
    {
        var graph = await DeployRunner.PlanAsync(Inputs(), CancellationToken.None);
        var log = new List<string>();
        hooks ??= new ExecuteHooks();
        var withLog = new ExecuteHooks
        {
            StepStarted = hooks.StepStarted,
            StepEnded = hooks.StepEnded,
            AfterStep = hooks.AfterStep,
            Log = line =>
            {
                lock (log)
                {
                    log.Add(line);
                }
            },
        };
        var report = await graph.ExecuteAsync(shell, withLog, CancellationToken.None);
        return (graph, report, log);
    }

    public void Dispose() => Directory.Delete(StateDirectory, recursive: true);
}
