namespace Boma.Infra.Cli;

/// <summary>Chooses between running under the Pulumi engine and running one of the offline verbs.</summary>
internal static class Entry
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "guard")
        {
            return Task.FromResult(GuardCommand.Run(args[1..], Console.In, Console.Out, Console.Error));
        }

        Console.Error.WriteLine("boma: not wired yet");
        return Task.FromResult(2);
    }
}
