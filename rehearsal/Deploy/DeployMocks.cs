using System.Security.Cryptography;
using System.Text;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>
/// The engine's side of a rehearsal run: cloud resources answered by <see cref="CloudAnswers"/>, command resources by
/// <paramref name="commands"/> (a plan's guess, or the real execution). Like the engine, a registration returns only
/// when its step is done, so a dependant's inputs (built from stdout) and DependsOn wait for it.
/// </summary>
internal sealed class DeployMocks(CloudAnswers cloud, Func<MockResourceArgs, Task<Dictionary<string, object?>>> commands, SecretMasker? masker = null) : IMocks
{
    public static bool IsCommand(string type) =>
        type is "command:remote:Command" or "command:remote:CopyToRemote" or "command:local:Command";

    public async Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        masker?.AddWire(Boma.Pulumi.Serialization.WireJson.ToJson(args.WireInputs));
        Dictionary<string, object?> outputs;
        string? id;
        if (IsCommand(args.Type))
        {
            outputs = await commands(args).ConfigureAwait(false);
            // The provider's IDs are random hex derived from the name; stable here so runs compare.
            id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(args.Urn)))[..16];
        }
        else
        {
            outputs = cloud.Answer(args, out id)
                ?? throw new NotSupportedException($"the rehearsal has no answer for {args.Type} '{args.Name}'; add one to CloudAnswers");
        }

        // The engine keeps secret inputs secret in the outputs and applies additionalSecretOutputs; the recording
        // monitor does neither on its own.
        var secretOutputs = args.Request?.AdditionalSecretOutputs.ToHashSet(StringComparer.Ordinal) ?? [];
        var state = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in outputs)
        {
            var secret = secretOutputs.Contains(key)
                || (args.WireInputs.Fields.TryGetValue(key, out var wire) && SecretMasker.HasSecret(Boma.Pulumi.Serialization.WireJson.ToJson(wire)));
            state[key] = secret && value is not null ? Output.CreateSecret(value) : value;
            if (!secret && value is string plain)
            {
                masker?.AddPublic(plain);
            }
        }

        return (id, state);
    }

    public Task<object> CallAsync(MockCallArgs args) =>
        throw new NotSupportedException($"the rehearsal has no answer for the function {args?.Token}");
}
