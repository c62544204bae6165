// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using NUnit.Framework;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Components;

[TestFixture]
public class DnsRecordsTests
{
    private static Task<TestResult> Build(bool ipv6 = true, int ttl = 300) =>
        Deployment.TestAsync(new CloudMocks(), () =>
        {
            var dns = new DnsRecords("dns", new DnsRecordsArgs
            {
                Naming = new NamingScheme("example.org", "askari"),
                Ttl = ttl,
                Host = "askari",
                Ipv4 = Output.Create("198.51.100.23"),
                Ipv6 = ipv6 ? Output.Create("2001:db8:23::1") : null,
                OffsiteServices = ["netbird", "test"],
                HomeServices = [new HomeService("jellyfin", false), new HomeService("photos", true)],
            });
            return new Dictionary<string, object?> { ["public"] = dns.PublicFqdns, ["meshOnly"] = dns.MeshOnlyFqdns };
        });

    [Test]
    public async Task Three_tiers_get_a_and_aaaa_records_in_the_zone()
    {
        var result = (await Build()).Ok();
        var records = result.OfType("gandi:livedns/record:Record")
            .Select(r => (Name: r.InputString("name"), Type: r.InputString("type"), Value: r.Input("values")!.AsArray().Single()!.GetValue<string>()))
            .ToList();
        Assert.That(records, Is.EquivalentTo(new[]
        {
            ("askari.boma", "A", "198.51.100.23"), ("askari.boma", "AAAA", "2001:db8:23::1"),
            ("netbird.askari", "A", "198.51.100.23"), ("netbird.askari", "AAAA", "2001:db8:23::1"),
            ("test.askari", "A", "198.51.100.23"), ("test.askari", "AAAA", "2001:db8:23::1"),
            ("photos", "A", "198.51.100.23"), ("photos", "AAAA", "2001:db8:23::1"),
        }));
        Assert.That(result.OfType("gandi:livedns/record:Record").Select(r => r.InputString("zone")).Distinct(), Is.EqualTo(new[] { "example.org" }));
    }

    [Test]
    public async Task Ttl_is_at_least_the_livedns_minimum()
    {
        var result = (await Build(ttl: 3600)).Ok();
        Assert.That(result.OfType("gandi:livedns/record:Record").Select(r => r.Input("ttl")!.GetValue<double>()).Distinct(), Is.EqualTo(new[] { 3600d }));
        var failed = await Build(ttl: 299);
        Assert.That(failed.Exception?.ToString(), Does.Contain("boma:dnsTtl"));
        Assert.That(failed.OfType("gandi:livedns/record:Record"), Is.Empty);
    }

    [Test]
    public async Task Home_services_are_mesh_only_unless_listed_public()
    {
        var result = (await Build()).Ok();
        Assert.Multiple(() =>
        {
            Assert.That(result.OfType("gandi:livedns/record:Record").Select(r => r.InputString("name")), Has.None.Contains("jellyfin"));
            Assert.That(result.StackOutputs["meshOnly"], Is.EqualTo(new[] { "jellyfin.example.org" }));
            Assert.That(result.StackOutputs["public"], Is.EqualTo(new[]
            {
                "askari.boma.example.org", "netbird.askari.example.org", "test.askari.example.org", "photos.example.org",
            }));
        });
    }

    [Test]
    public async Task Without_ipv6_only_a_records()
    {
        var result = (await Build(ipv6: false)).Ok();
        Assert.That(result.OfType("gandi:livedns/record:Record").Select(r => r.InputString("type")).Distinct(), Is.EqualTo(new[] { "A" }));
    }

    [Test]
    public async Task Records_are_children_of_the_component()
    {
        var result = (await Build()).Ok();
        var component = result.Single(DnsRecords.TypeToken);
        Assert.That(result.OfType("gandi:livedns/record:Record").Select(r => r.Request.Parent).Distinct(), Is.EqualTo(new[] { component.Urn }));
        Assert.That(result.OfType("gandi:livedns/record:Record").Select(r => r.Request.Name), Does.Contain("dns-netbird-askari-aaaa"));
    }
}
