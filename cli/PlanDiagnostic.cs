namespace Boma.Infra.Cli;

/// <summary>One message the program logged during the plan (severity: debug, info, warning, error).</summary>
internal sealed record PlanDiagnostic(string Severity, string Message, string Urn);
