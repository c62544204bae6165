namespace Boma.Infra.Cli;

/// <summary>Chooses between running under the Pulumi engine and running one of the offline verbs.</summary>
internal static class Entry
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("boma: not wired yet");
        return Task.FromResult(2);
    }
}
