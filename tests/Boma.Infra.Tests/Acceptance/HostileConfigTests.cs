using NUnit.Framework;
using Boma.Infra.Tests.Cli;

namespace Boma.Infra.Tests.Acceptance;

/// <summary>Hostile and malformed config values, each run through `plan` as a new user would: a clean refusal, never a crash.</summary>
[TestFixture]
public sealed class HostileConfigTests
{
    private static readonly string Offsite = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, "Pulumi.offsite.yaml"));
    private static readonly string Cluster = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, "Pulumi.cluster.yaml"));

    private static async Task<(int Exit, string Stdout, string Stderr)> PlanAsync(string yaml, string stack = "offsite")
    {
        var dir = PlanRunner.TempProject(yaml, stack);
        try
        {
            return await PlanRunner.RunAsync(dir, "plan", stack);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void AssertCleanRefusal((int Exit, string Stdout, string Stderr) run, params string[] expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.EqualTo(1), run.Stderr);
            Assert.That(run.Stdout, Is.Empty);
            Assert.That(run.Stderr, Does.StartWith("boma plan"));
            Assert.That(run.Stderr, Does.Not.Match(@"\n\s+at \S+\(").And.Not.Contain("Exception:"), "no stack trace");
            foreach (var text in expected)
            {
                Assert.That(run.Stderr, Does.Contain(text));
            }
        });
    }

    private static string WithConfig(string yaml, string from, string to)
    {
        Assert.That(yaml, Does.Contain(from), "the test edits a line that must exist");
        return yaml.Replace(from, to, StringComparison.Ordinal);
    }

    [Test]
    public async Task The_shipped_stack_files_still_plan()
    {
        Assert.That((await PlanAsync(Offsite)).Exit, Is.Zero);
        Assert.That((await PlanAsync(Cluster, "cluster")).Exit, Is.Zero);
    }

    [Test]
    public async Task Billion_laughs_is_refused_at_the_first_anchor()
    {
        var lines = new List<string> { "config:", "  boma:domain: example.org", "  boma:lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 12; i++)
        {
            lines.Add($"  boma:lol{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]");
        }

        var run = await PlanAsync(string.Join('\n', lines) + "\n");
        AssertCleanRefusal(run, "anchor", "line 3");
        Assert.That(run.Stderr.TrimEnd(), Does.Not.Contain("\n"), "one line");
    }

    [Test]
    public async Task A_recursive_alias_is_refused()
    {
        var run = await PlanAsync("config:\n  boma:domain: &x\n    - *x\n");
        AssertCleanRefusal(run, "anchor");
    }

    [TestCase("config:\n  boma:offsiteServices: [netbird, test\n  boma:domain: example.org\n", "not valid YAML")]
    [TestCase("config:\n  ? [a, b]\n  : c\n", "keys must be plain text")]
    [TestCase("config:\n  {[boma:x]: 1}: 2\n", "keys must be plain text")]
    [TestCase("config:\n  boma:domain: example.org\n  boma:domain: example.net\n", "twice")]
    [TestCase("config:\n  boma:domain: !!binary aGVsbG8=\n", "tag")]
    [TestCase("config:\n  boma:domain: a\n---\nconfig: {}\n", "more than one YAML document")]
    public async Task Malformed_yaml_is_one_line(string yaml, string expected)
    {
        var run = await PlanAsync(yaml);
        AssertCleanRefusal(run, expected);
        Assert.That(run.Stderr.TrimEnd(), Does.Not.Contain("\n"), "one line");
    }

    [Test]
    public async Task Deep_nesting_is_bounded()
    {
        var run = await PlanAsync("config:\n  boma:domain: " + new string('[', 5000) + new string(']', 5000) + "\n");
        AssertCleanRefusal(run, "nested more than");
    }

    [TestCase("010.1.1.1/32", "leading zero")]
    [TestCase("10.1/32", "dotted-quad")]
    [TestCase("203.0.113.7%eth0/32", "dotted-quad")]
    [TestCase("fe80::1%eth0/128", "zone id")]
    [TestCase("::ffff:0.0.0.0/96", "IPv4")]
    [TestCase("0::/0", "large part of the internet")]
    [TestCase("0.0.0.0/0", "large part of the internet")]
    [TestCase("203.0.113.7/032", "not a CIDR")]
    public async Task Sloppy_break_glass_addresses_are_refused_not_rewritten(string cidr, string expected)
    {
        var run = await PlanAsync(WithConfig(Offsite, "    - 203.0.113.7/32\n", $"    - {cidr}\n"));
        AssertCleanRefusal(run, "boma:breakGlassCidrs[0]", expected);
    }

    [Test]
    public async Task Two_halves_of_the_internet_are_the_whole_internet()
    {
        var run = await PlanAsync(WithConfig(Offsite, "    - 203.0.113.7/32\n    - 2001:db8:1234::/48\n", "    - 0.0.0.0/1\n    - 128.0.0.0/1\n"));
        AssertCleanRefusal(run, "boma:breakGlassCidrs[0]", "boma:breakGlassCidrs[1]", "large part of the internet");
    }

    [Test]
    public async Task Sources_that_pass_one_by_one_are_refused_together()
    {
        var run = await PlanAsync(WithConfig(Offsite, "    - 203.0.113.7/32\n", "    - 10.0.0.0/8\n    - 11.0.0.0/8\n"));
        AssertCleanRefusal(run, "boma:breakGlassCidrs:", "IPv4 sources cover 0.8 %", "more than one /8");
    }

    [TestCase("  boma:ipv6: true\n", "  boma:ipV6: true\n", "boma:ipV6", "did you mean 'boma:ipv6'")]
    [TestCase("  boma:dnsTtl: 300\n", "  boma:dnsTTL: 300\n", "boma:dnsTTL", "did you mean 'boma:dnsTtl'")]
    [TestCase("    ownerEmail: admin@example.org\n", "    ownerEmail: admin@example.org\n    ownerNmae: kim\n", "boma:netbird.ownerNmae", "did you mean 'ownerName'")]
    [TestCase("  boma:ipv6: true\n", "  boma:ipv6: true\n  boma:proxmox:\n    endpoint: https://pve1:8006/\n", "boma:proxmox", "belongs to the cluster stack")]
    public async Task Misspelt_and_foreign_keys_are_refused_with_a_suggestion(string from, string to, string key, string hint)
    {
        var run = await PlanAsync(WithConfig(Offsite, from, to));
        AssertCleanRefusal(run, key, hint, "pulumi config rm -s offsite");
    }

    [Test]
    public async Task A_misspelt_cluster_key_names_the_cluster_stack_in_the_fix()
    {
        var run = await PlanAsync(WithConfig(Cluster, "    bridge: vmbr0\n", "    brigde: vmbr0\n"), "cluster");
        AssertCleanRefusal(run, "boma:network.brigde", "did you mean 'bridge'", "pulumi config rm -s cluster");
    }

    [Test]
    public async Task A_secure_value_nested_in_a_plain_key_is_refused_and_never_printed()
    {
        const string Cipher = "v1:bm90LWEtcmVhbC1jaXBoZXJ0ZXh0:NestedCipherMarker";
        var run = await PlanAsync(WithConfig(Cluster, "    bridge: vmbr0\n", $"    bridge:\n      secure: {Cipher}\n"), "cluster");
        AssertCleanRefusal(run, "boma:network", "is stored as a secret");
        Assert.That(run.Stderr, Does.Not.Contain("NestedCipherMarker"));
    }

    [Test]
    public async Task A_vm_name_with_a_leading_space_is_the_same_name_trimmed()
    {
        var run = await PlanAsync(WithConfig(Cluster, "    - name: mlinzi2\n", "    - name: \" mlinzi1\"\n"), "cluster");
        AssertCleanRefusal(run, "mlinzi1");
    }

    [Test]
    public async Task An_address_with_a_trailing_space_cannot_give_two_vms_one_ip()
    {
        var run = await PlanAsync(WithConfig(Cluster, "      address: 192.168.20.12\n", "      address: \"192.168.20.11 \"\n"), "cluster");
        AssertCleanRefusal(run, "192.168.20.11");
    }

    [TestCase("114690387")]
    [TestCase("0")]
    public async Task A_numeric_image_id_is_refused(string image)
    {
        var run = await PlanAsync(WithConfig(Offsite, "  boma:image: debian-13\n", $"  boma:image: \"{image}\"\n"));
        AssertCleanRefusal(run, "boma:image", "not a numeric id");
    }

    [Test]
    public async Task The_cluster_refuses_the_road_warrior_key_for_servers()
    {
        var run = await PlanAsync(WithConfig(Cluster, "    setupKeyOutput: clusterSetupKeys\n", "    setupKeyOutput: roadWarriorSetupKey\n"), "cluster");
        AssertCleanRefusal(run, "boma:mesh.setupKeyOutput", "one-off key");
    }

    [Test]
    public async Task The_cluster_refuses_the_common_key_that_leaves_a_vm_out_of_its_role()
    {
        var run = await PlanAsync(WithConfig(Cluster, "    setupKeyOutput: clusterSetupKeys\n", "    setupKeyOutput: serversSetupKey\n"), "cluster");
        AssertCleanRefusal(run, "boma:mesh.setupKeyOutput", "cluster's common key", "clusterSetupKeys", "-s cluster");
    }

    [Test]
    public async Task The_cluster_refuses_ubongos_enrol_command_as_its_key()
    {
        var run = await PlanAsync(WithConfig(Cluster, "    setupKeyOutput: clusterSetupKeys\n", "    setupKeyOutput: ubongoEnrolCommand\n"), "cluster");
        AssertCleanRefusal(run, "boma:mesh.setupKeyOutput", "not the cluster's setup key", "-s cluster");
    }

    [Test]
    public async Task An_oversized_file_is_refused_before_parsing()
    {
        var run = await PlanAsync("config:\n  boma:domain: example.org\n#" + new string('x', 2 << 20) + "\n");
        AssertCleanRefusal(run, "larger than");
    }

    [Test]
    public async Task A_file_that_is_not_utf8_is_refused()
    {
        var dir = PlanRunner.TempProject("", "offsite");
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "Pulumi.offsite.yaml"), [.. "config:\n  boma:domain: ex"u8, 0xC3, 0x28, .. "ample.org\n"u8]);
            AssertCleanRefusal(await PlanRunner.RunAsync(dir, "plan", "offsite"), "not UTF-8");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
