using Boma.Rehearsal.NetbirdDouble;

// netbird-server-double --config /etc/netbird/config.yaml   (the combined server's CMD)
// netbird-server-double --dashboard [--port 80]              (the dashboard image: static pages)
if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("netbird-server-double: Linux only");
    return 2;
}

try
{
    var app = DoubleHost.Build(args, out var banner);
    Console.WriteLine(banner);
    await app.RunAsync();
    return 0;
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"netbird-server-double: {e.Message}");
    return 2;
}
