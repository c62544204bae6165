using Boma.Pulumi.Conformance.Programs.Scenarios;

namespace Boma.Pulumi.Conformance.Programs;

/// <summary>
/// Runs one scenario as a real Pulumi program: started like the dotnet language host starts a
/// program (engine handshake in the environment), the scenario named by the first argument.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 1 || !ScenarioCatalog.All.TryGetValue(args[0], out var run))
        {
            await Console.Error.WriteLineAsync(
                $"usage: Boma.Pulumi.Conformance.Programs <scenario>; scenarios: {string.Join(", ", ScenarioCatalog.All.Keys.Order(StringComparer.Ordinal))}");
            return 2;
        }

        return await run();
    }
}
