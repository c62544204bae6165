using NUnit.Framework;
using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Policy;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Config;
using Boma.Pulumi;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

/// <summary>
/// The cross-stack contract: the offsite stack, run for real under Deployment.TestAsync, exports every output
/// the cluster stack requires through its StackReference (names from <see cref="ClusterOffsiteReference"/>),
/// the secret ones as secrets. A removed or unmarked export fails here, not at `pulumi up -s cluster`.
/// </summary>
[TestFixture]
public sealed class OffsiteClusterContractTests
{
    private static async Task<JsonObject> OffsiteStackOutputs()
    {
        var options = ValidConfig.Offsite();
        var result = (await Deployment.TestAsync(new NetbirdMocks(), Entry.ProgramFor("offsite", options.SecretKeys)!, options)).Ok();
        var stackUrn = result.Single("pulumi:pulumi:Stack").Urn;
        return result.OutputRegistrations.Last(o => o.Urn == stackUrn).Outputs;
    }

    /// <summary>The roles of the cluster stack file's VMs: each needs its key in the map.</summary>
    private static IReadOnlyList<string> ClusterFileRoles()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        return [.. ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secrets)).Vms.Select(v => v.Role).Distinct()];
    }

    /// <summary>
    /// What is wrong with <paramref name="outputs"/> (the stack's wire outputs) against the cluster's needs: the key map holds a
    /// non-empty key for every role of the cluster stack file, every other required output is a non-empty string.
    /// </summary>
    private static List<string> ContractProblems(JsonObject outputs, IEnumerable<string> required, IEnumerable<string> secret)
    {
        var problems = new List<string>();
        foreach (var name in required)
        {
            var present = outputs.TryGetPropertyValue(name, out var value);
            if (name == ClusterOffsiteReference.DefaultSetupKeyOutput)
            {
                var map = present ? WireValue.Unwrap(value) as JsonObject : null;
                var missing = ClusterFileRoles().Where(role => map is null || WireValue.AsString(WireValue.Unwrap(map[role])) is not { Length: > 0 }).ToList();
                if (missing.Count > 0)
                {
                    problems.Add($"{name}: no key for role(s) {string.Join(", ", missing)}");
                }
            }
            else if (!present || WireValue.AsString(WireValue.Unwrap(value)) is not { Length: > 0 })
            {
                problems.Add($"{name}: not exported as a non-empty string");
            }
        }

        foreach (var name in secret)
        {
            if (outputs.TryGetPropertyValue(name, out var value) && !WireValue.IsSecret(value))
            {
                problems.Add($"{name}: exported in plain text, must be secret");
            }
        }

        return problems;
    }

    [Test]
    public async Task TheOffsiteStackExportsEveryOutputTheClusterRequiresWithTheKeySecret()
    {
        var outputs = await OffsiteStackOutputs();

        Assert.That(ClusterOffsiteReference.RequiredOutputs, Is.SupersetOf(ClusterOffsiteReference.SecretOutputs));
        Assert.That(ClusterOffsiteReference.RequiredOutputs, Has.Count.EqualTo(3), "role setup keys, management URL, askari's IPv4");
        Assert.That(ContractProblems(outputs, ClusterOffsiteReference.RequiredOutputs, ClusterOffsiteReference.SecretOutputs), Is.Empty);
        // The keys travel only inside the secret envelope, each role its own key.
        var map = WireValue.Unwrap(outputs[ClusterOffsiteReference.DefaultSetupKeyOutput])!.AsObject();
        Assert.That(map.ToDictionary(p => p.Key, p => WireValue.AsString(p.Value)), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["dns"] = $"{NetbirdMocks.KeyMarker}-peers-cluster-dns-key",
            ["docker"] = $"{NetbirdMocks.KeyMarker}-peers-cluster-docker-key",
            ["storage"] = $"{NetbirdMocks.KeyMarker}-peers-cluster-storage-key",
        }));
        // The common key keeps its name and stays secret for a cluster stack deployed before the per-role keys.
        Assert.That(WireValue.IsSecret(outputs[ClusterOffsiteReference.CommonSetupKeyOutput]), Is.True);
        Assert.That(WireValue.AsString(WireValue.Unwrap(outputs[ClusterOffsiteReference.CommonSetupKeyOutput])), Is.EqualTo($"{NetbirdMocks.KeyMarker}-peers-cluster-key"));
    }

    [Test]
    public async Task TheSetupKeyOutputTheClusterStackFileNamesIsExportedAsASecret()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        var cluster = ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secrets));
        var outputs = await OffsiteStackOutputs();

        Assert.That(ContractProblems(outputs, [cluster.Mesh.SetupKeyOutput], [cluster.Mesh.SetupKeyOutput]), Is.Empty);
    }

    [Test]
    public async Task TheCheckFailsForEveryRequiredOutputThatIsRemovedOrLosesItsSecret()
    {
        // Proves the contract check above can fail: the real outputs with one export taken away at a time.
        var outputs = await OffsiteStackOutputs();
        Assert.That(ContractProblems(outputs, ClusterOffsiteReference.RequiredOutputs, ClusterOffsiteReference.SecretOutputs), Is.Empty, "the starting point is a complete export");
        foreach (var name in ClusterOffsiteReference.RequiredOutputs)
        {
            var without = (JsonObject)outputs.DeepClone();
            without.Remove(name);
            Assert.That(ContractProblems(without, ClusterOffsiteReference.RequiredOutputs, ClusterOffsiteReference.SecretOutputs),
                Has.Some.StartsWith($"{name}:"), name);
        }

        // A map that lacks one role's key is caught too.
        var noDns = (JsonObject)outputs.DeepClone();
        WireValue.Unwrap(noDns[ClusterOffsiteReference.DefaultSetupKeyOutput])!.AsObject().Remove("dns");
        Assert.That(ContractProblems(noDns, ClusterOffsiteReference.RequiredOutputs, ClusterOffsiteReference.SecretOutputs),
            Is.EqualTo(new[] { $"{ClusterOffsiteReference.DefaultSetupKeyOutput}: no key for role(s) dns" }));

        foreach (var name in ClusterOffsiteReference.SecretOutputs)
        {
            var plain = (JsonObject)outputs.DeepClone();
            plain[name] = WireValue.Unwrap(plain[name])!.DeepClone();
            Assert.That(ContractProblems(plain, ClusterOffsiteReference.RequiredOutputs, ClusterOffsiteReference.SecretOutputs),
                Is.EqualTo(new[] { $"{name}: exported in plain text, must be secret" }));
        }
    }
}
