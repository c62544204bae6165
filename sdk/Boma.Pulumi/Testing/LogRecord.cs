using Pulumirpc;

namespace Boma.Pulumi.Testing;

/// <summary>One Engine.Log call.</summary>
public sealed record LogRecord(LogSeverity Severity, string Message, string Urn);
