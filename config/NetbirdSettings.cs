namespace Boma.Infra.Config;

/// <summary>
/// Everything the NetBird part of the offsite stack reads (<c>boma:netbird</c>, <c>boma:caddy</c>, <c>boma:backup</c>
/// and the backup secrets), validated together so one run lists every problem. Kept apart from
/// <see cref="OffsiteConfig"/>: the stack loads both before registering anything.
/// </summary>
internal sealed record NetbirdSettings(NetbirdConfig Netbird, CaddyConfig Caddy, BackupConfig Backup)
{
    public static NetbirdSettings Load(IConfigSource source, string domain, string stack = "offsite")
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = new NetbirdConfigReader(source, stack);
        var netbird = NetbirdConfigLoader.Read(reader, domain);
        var caddy = CaddyConfigLoader.Read(reader, domain);
        var backup = BackupConfigLoader.Read(reader);
        if (reader.Errors.Count > 0)
        {
            throw new ConfigValidationException(stack, reader.Errors);
        }

        return new NetbirdSettings(netbird, caddy, backup);
    }
}
