using System.Collections.Immutable;
using Boma.Infra.Config;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Gandi.Livedns;

/// <summary>Inputs of <see cref="DnsRecords"/>.</summary>
internal sealed class DnsRecordsArgs
{
    public required NamingScheme Naming { get; init; }

    /// <summary>Record TTL in seconds (LiveDNS minimum 300).</summary>
    public required int Ttl { get; init; }

    /// <summary>The off-site host whose infra name (<c>&lt;host&gt;.boma.&lt;domain&gt;</c>) is published.</summary>
    public required string Host { get; init; }

    /// <summary>The off-site host's public IPv4 address.</summary>
    public required Output<string> Ipv4 { get; init; }

    /// <summary>Its public IPv6 address, or null when it has none.</summary>
    public Output<string>? Ipv6 { get; init; }

    /// <summary>Public services on the off-site host: <c>&lt;service&gt;.&lt;host&gt;.&lt;domain&gt;</c>.</summary>
    public ImmutableArray<string> OffsiteServices { get; init; } = [];

    /// <summary>Home services: only the ones marked public get a public record (pointing at the off-site host, which proxies them over the mesh).</summary>
    public ImmutableArray<HomeService> HomeServices { get; init; } = [];
}

/// <summary>
/// Gandi LiveDNS records for the three-tier naming scheme. Infra and off-site names point at the
/// off-site host's public addresses (A, and AAAA with IPv6). Home services are mesh/LAN-only by
/// default: they get no public record at all (their names resolve inside the mesh), unless listed
/// as public exceptions.
/// </summary>
internal sealed class DnsRecords : ComponentResource
{
    public const string TypeToken = "boma:dns:Records";

    public DnsRecords(string name, DnsRecordsArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Ttl < ConfigRules.MinTtl)
        {
            throw new ArgumentException($"TTL {args.Ttl} is below the LiveDNS minimum of {ConfigRules.MinTtl} (boma:dnsTtl)", nameof(args));
        }

        var naming = args.Naming;
        var records = new List<Record>();
        var published = new List<string>();

        void Publish(string recordName)
        {
            published.Add($"{recordName}.{naming.Domain}");
            records.Add(AddRecord(name, args, recordName, "A", args.Ipv4));
            if (args.Ipv6 is not null)
            {
                records.Add(AddRecord(name, args, recordName, "AAAA", args.Ipv6));
            }
        }

        Publish(NamingScheme.InfraRecord(args.Host));
        foreach (var service in args.OffsiteServices)
        {
            Publish(naming.OffsiteRecord(service));
        }

        foreach (var service in args.HomeServices.Where(s => s.Public))
        {
            Publish(service.Name);
        }

        Records = [.. records];
        PublicFqdns = Output.Create(published.ToImmutableArray());
        MeshOnlyFqdns = Output.Create(args.HomeServices.Where(s => !s.Public).Select(s => naming.HomeFqdn(s.Name)).ToImmutableArray());
        RegisterOutputs();
    }

    public ImmutableArray<Record> Records { get; }

    /// <summary>Every name that got a public record.</summary>
    [Output("publicFqdns")]
    public Output<ImmutableArray<string>> PublicFqdns { get; private set; }

    /// <summary>Home service names that deliberately have no public record (mesh/LAN only).</summary>
    [Output("meshOnlyFqdns")]
    public Output<ImmutableArray<string>> MeshOnlyFqdns { get; private set; }

    private Record AddRecord(string name, DnsRecordsArgs args, string recordName, string type, Output<string> value) =>
        new($"{name}-{recordName.Replace('.', '-')}-{type.ToLowerInvariant()}", new RecordArgs
        {
            Zone = args.Naming.Domain,
            // Always sent: an omitted name is auto-named by the bridge with a random suffix.
            Name = recordName,
            Type = type,
            Ttl = args.Ttl,
            Values = new InputList<string> { value },
        }, new CustomResourceOptions { Parent = this });
}
