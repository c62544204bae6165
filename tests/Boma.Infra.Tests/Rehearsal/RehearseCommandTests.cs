using Boma.Infra.Rehearsal;
using NUnit.Framework;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>The verb's command line and preflight, and the report's parsing helpers (no lab needed).</summary>
public class RehearseCommandTests
{
    private static readonly int[] WebPorts = [80, 443];

    [Test]
    public async Task A_stack_other_than_offsite_is_a_usage_error_before_anything_runs()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await RehearseCommand.RunAsync(["cluster"], stdout, stderr, Docs.RepoRoot.Path);

        Assert.That(exit, Is.EqualTo(64));
        Assert.That(stderr.ToString(), Does.Contain("'offsite'").And.Contain("usage: rehearse offsite"));
    }

    [Test]
    public async Task An_unknown_flag_is_a_usage_error()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await RehearseCommand.RunAsync(["offsite", "--fast"], stdout, stderr, Docs.RepoRoot.Path);

        Assert.That(exit, Is.EqualTo(64));
        Assert.That(stderr.ToString(), Does.Contain("'--fast'"));
    }

    [Test]
    public void Nmap_grepable_output_gives_the_open_ports_of_one_protocol()
    {
        const string grepable = "Host: 198.18.1.10 ()\tPorts: 80/open/tcp//http///, 443/open/tcp//https///, 22/filtered/tcp//ssh///, 3478/open|filtered/udp//stun///\tIgnored State: filtered (65532)\n";

        Assert.That(OffsiteRehearsal.OpenPorts(grepable, "tcp"), Is.EqualTo(WebPorts));
        Assert.That(OffsiteRehearsal.OpenPorts(grepable, "udp"), Is.Empty);
    }
}
