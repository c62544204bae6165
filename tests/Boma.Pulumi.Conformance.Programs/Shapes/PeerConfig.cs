namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>The object config value of l1-config-secret, read with Config.GetObject.</summary>
public sealed record PeerConfig(string Host, int Port);
