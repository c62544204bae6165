namespace Boma.Infra.Config;

using Pulumi;

/// <summary>The offsite stack's secrets, kept as secret outputs from the moment they are read.</summary>
internal sealed record OffsiteSecrets(Output<string> HcloudToken, Output<string> GandiToken, Output<string> SshPrivateKey);
