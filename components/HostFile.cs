namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// A host file a component rendered from a template under hosts/ (cloud-init, a bootstrap script),
/// exposed so `plan --out` can write it. Content may be unknown in a preview when it depends on a
/// value the cloud assigns (an IP address). Secrets are never rendered into host files.
/// </summary>
internal sealed record HostFile(string Path, Output<string> Content);
