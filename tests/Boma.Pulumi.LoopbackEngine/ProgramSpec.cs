namespace Boma.Pulumi.LoopbackEngine;

/// <summary>A child process to start: command line, directory and the complete environment.</summary>
public sealed record ProgramSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    public override string ToString() => $"{FileName} {string.Join(' ', Arguments)} (in {WorkingDirectory})";
}
