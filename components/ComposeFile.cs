namespace Boma.Infra.Components;

/// <summary>One file of a compose project: its child-name role, its name on the host and its text (never a secret).</summary>
internal sealed record ComposeFile(string Role, string FileName, string Text);
