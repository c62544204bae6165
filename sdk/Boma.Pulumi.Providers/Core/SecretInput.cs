namespace Boma.Pulumi.Providers;

/// <summary>Wraps inputs the schema marks secret, as the generated SDKs do in their Args setters.</summary>
internal static class SecretInput
{
    public static Input<T> Wrap<T>(Input<T> value) =>
        Output.Tuple<T, int>(value, Output.CreateSecret(0)).Apply(pair => pair.Item1);
}
