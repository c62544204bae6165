using Boma.Infra.Config;
using Boma.Pulumi;

namespace Boma.Infra.Tests.Config;

/// <summary>An in-memory config source for validation tests: values keyed without the namespace, plus which are secret.</summary>
internal sealed class DictionaryConfigSource(Dictionary<string, string> values, HashSet<string> secretKeys) : IConfigSource
{
    public string? Get(string key) => values.GetValueOrDefault(key);

    public bool IsSecret(string key) => secretKeys.Contains(key);

    public Output<string>? GetSecret(string key) => values.TryGetValue(key, out var v) ? Output.CreateSecret(v) : null;
}
