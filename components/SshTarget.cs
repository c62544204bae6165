namespace Boma.Infra.Components;

using Pulumi;

/// <summary>Where and as whom the bootstrap commands connect (the admin user, via passwordless sudo).</summary>
internal sealed record SshTarget(Output<string> Host, string User, Output<string> PrivateKey);
