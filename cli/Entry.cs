namespace Boma.Infra.Cli;

/// <summary>Chooses between running under the Pulumi engine and running one of the offline verbs.</summary>
internal static class Entry
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "runbook") return Task.FromResult(RunbookCommand.Run(args[1..], Console.In, !Console.IsInputRedirected, Console.Out, Console.Error, Environment.CurrentDirectory));
        Console.Error.WriteLine("boma: not wired yet");
        return Task.FromResult(2);
    }
}
