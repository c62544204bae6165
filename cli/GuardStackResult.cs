using Boma.Infra.Policy;

namespace Boma.Infra.Cli;

/// <summary>One stack's preview as guard judged it.</summary>
internal sealed record GuardStackResult(
    string Stack,
    PreviewDocument Document,
    IReadOnlyList<Violation> Violations,
    IReadOnlyList<Violation> Allowed);
