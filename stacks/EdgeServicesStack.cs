using Boma.Infra.Components;
using Boma.Infra.Config;

namespace Boma.Infra.Stacks;

using Pulumi;

/// <summary>
/// askari's edge services, the second half of the offsite stack, wired after askari is bootstrapped: NetBird's
/// compose stack, Caddy in front of it (and of any other public service), peers and policies through the API, and
/// the backup. Its outputs carry the road-warrior
/// runbook's contract names (cli/RunbookOutputs.cs).
/// </summary>
internal static class EdgeServicesStack
{
    public static StackBuild Build(OffsiteConfig config, NetbirdSettings settings, RemoteHost askari, Output<string> askariIpv6, HostBootstrap bootstrap)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        // Only what each part needs of the bootstrap (docs/benchmarks.md, "critical path"): files are staged once
        // base has run, the compose stacks come up once Docker is configured, and askari joins its mesh only when
        // its hardening is done. The hardening chain and AIDE run meanwhile.
        var stageReady = bootstrap.Step("base");
        var hostReady = bootstrap.Step("docker");
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        var naming = config.Naming;
        var fqdn = naming.OffsiteFqdn(config.CoordinatorService);
        // The smoke-test site is test.askari.<domain>; its DNS record comes from boma:offsiteServices (default netbird, test).
        const string testService = "test";

        var server = new NetbirdServer("netbird", new NetbirdServerArgs
        {
            HostName = config.HostName,
            Host = askari,
            Fqdn = fqdn,
            Config = settings.Netbird,
            HostReady = hostReady,
            StageReady = stageReady,
        });

        var caddy = new CaddyProxy("caddy", new CaddyProxyArgs
        {
            HostName = config.HostName,
            Host = askari,
            NetbirdFqdn = fqdn,
            TestFqdn = naming.OffsiteFqdn(testService),
            Config = settings.Caddy,
            GandiToken = settings.Caddy.Dns01 ? config.Secrets.GandiToken : null,
            HostReady = hostReady,
            StageReady = stageReady,
        });

        var peers = new Peers("peers", new PeersArgs
        {
            HostName = config.HostName,
            Host = askari,
            ManagementUrl = $"https://{fqdn}",
            AskariPeerName = config.HostName,
            Config = settings.Netbird,
            ApiReady = server.ApiReady,
            EdgeReady = caddy.Stack.Up,
            HostHardened = bootstrap.Step("hosts-pin"),
            ApiScriptsHash = server.ApiScriptsHash,
        });

        var files = new List<HostFile>();
        files.AddRange(server.HostFiles);
        files.AddRange(caddy.HostFiles);
        files.AddRange(peers.HostFiles);
        if (settings.Backup.Enabled)
        {
            var backup = new Backup("backup", new BackupArgs { HostName = config.HostName, Host = askari, Config = settings.Backup, NetbirdUp = server.Up });
            files.AddRange(backup.HostFiles);
        }

        var outputs = new Dictionary<string, object?>
        {
            // The road-warrior runbook's contract (docs/runbooks/road-warrior-enrolment.md.tmpl).
            ["managementUrl"] = server.ManagementUrl,
            ["dashboardUrl"] = server.ManagementUrl,
            ["askariIpv4"] = askari.Target.Host,
            // The runbook needs a value either way; with IPv6 off it says so instead of being empty.
            ["askariIpv6"] = config.Ipv6 ? askariIpv6 : Output.Create("none (boma:ipv6 is false)"),
            ["askariMeshIp"] = peers.AskariMeshIp,
            ["roadWarriorSetupKey"] = peers.RoadWarriorSetupKey,
            ["meshDnsDomain"] = peers.MeshDnsDomain,
            // Secrets for the admin, never shown without --show-secrets.
            ["netbirdAdminToken"] = server.AdminToken,
            ["netbirdOwnerPassword"] = server.OwnerPassword,
            ["ubongoEnrolCommand"] = peers.UbongoEnrolCommand,
            // The cluster stack's contract (ClusterOffsiteReference): its VMs enrol with the reusable servers key.
            [ClusterOffsiteReference.DefaultSetupKeyOutput] = peers.ServersSetupKey,
            ["caddySites"] = caddy.Sites,
        };
        return new StackBuild(outputs, [.. files]);
    }
}
