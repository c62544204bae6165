using System.Collections.Immutable;

namespace Boma.Pulumi.Testing;

/// <summary>Everything a test run sent and got back.</summary>
public sealed class TestResult
{
    /// <summary>Every resource object the program created (the stack included).</summary>
    public required ImmutableArray<Resource> Resources { get; init; }

    /// <summary>Every RegisterResource (and ReadResource) request, in send order.</summary>
    public required ImmutableArray<RecordedRegistration> Registrations { get; init; }

    /// <summary>Every RegisterResourceOutputs request.</summary>
    public required ImmutableArray<RecordedOutputs> OutputRegistrations { get; init; }

    /// <summary>The stack outputs as plain values (secrets unwrapped, unknowns as the sentinel string); wire form in <see cref="OutputRegistrations"/>.</summary>
    public required IReadOnlyDictionary<string, object?> StackOutputs { get; init; }

    /// <summary>Every Engine.Log call.</summary>
    public required ImmutableArray<LogRecord> Logs { get; init; }

    /// <summary>The program's unhandled exception, or the first failure of an outstanding operation.</summary>
    public Exception? Exception { get; init; }

    /// <summary>What RunAsync would have returned.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The monitor the run talked to (features asked, invokes, shutdown calls).</summary>
    public required RecordingMonitor Monitor { get; init; }

    /// <summary>The engine the run talked to (root resource).</summary>
    public required RecordingEngine Engine { get; init; }

    /// <summary>The stack URN.</summary>
    public string StackUrn { get; init; } = "";
}
