using Boma.Pins;

// dotnet run --project tools/pins [-- --root DIR]: every pinned version in one table; exit 1 when two places disagree.
string? root = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--root" when i + 1 < args.Length:
            root = args[++i];
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: dotnet run --project tools/pins [-- --root DIR]   (docs/pins.md)");
            return 0;
        default:
            Console.Error.WriteLine($"pins: unknown argument '{args[i]}'; usage: dotnet run --project tools/pins [-- --root DIR]");
            return 2;
    }
}

root ??= FindCheckout(Directory.GetCurrentDirectory());
if (root is null || !File.Exists(Path.Combine(root, "Boma.Infra.sln")))
{
    Console.Error.WriteLine("pins: no boma-infra checkout (Boma.Infra.sln) here or above; run it inside the checkout or pass --root DIR");
    return 2;
}

return PinReport.Run(root, Console.Out, Console.Error);

static string? FindCheckout(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Boma.Infra.sln")))
        {
            return dir.FullName;
        }
    }

    return null;
}
