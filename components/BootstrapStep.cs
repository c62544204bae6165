namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// One idempotent host script run as root over SSH (<c>sudo -n bash -s</c>, the script on stdin).
/// <paramref name="TouchesSecret"/> marks a step that handles a secret: its command then logs
/// nothing and its stdout/stderr are secret outputs. <paramref name="Stdin"/>, when set, is what the
/// command reads instead of the bare script: the secrets' <c>export</c> lines
/// (<see cref="Hosts.HostTemplates.ExportPreamble"/>) ahead of <paramref name="Script"/>, kept secret.
/// The trigger always hashes <paramref name="Script"/>, never the secrets.
/// </summary>
internal sealed record BootstrapStep(string Role, string Template, Output<string> Script, bool TouchesSecret = false, Output<string>? Stdin = null)
{
    /// <summary>
    /// The roles this step waits for (each must come earlier in the list); empty for a first step. Null: the step
    /// just before it, so a plain list of steps runs one after the other.
    /// </summary>
    public IReadOnlyList<string>? After { get; init; }
}
