namespace Boma.Infra.Config;

/// <summary>Reads the <c>boma</c> namespace through Boma.Pulumi's <see cref="Pulumi.Config"/>.</summary>
internal sealed class PulumiConfigSource(Pulumi.Config config) : IConfigSource
{
    public PulumiConfigSource()
        : this(new Pulumi.Config(ConfigKeys.Namespace))
    {
    }

    public string? Get(string key) => config.Get(key);

    public bool IsSecret(string key) => config.IsSecret(key);

    public Pulumi.Output<string>? GetSecret(string key) => config.GetSecret(key);
}
