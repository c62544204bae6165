using Boma.Pulumi;

namespace Boma.Infra.Components;

/// <summary>
/// One idempotent host script run as root over SSH (<c>sudo -n bash -s</c>, the script on stdin).
/// <paramref name="TouchesSecret"/> marks a script that carries a secret: its command then logs
/// nothing and its stdout/stderr are secret outputs.
/// </summary>
internal sealed record BootstrapStep(string Role, string Template, Output<string> Script, bool TouchesSecret = false);
