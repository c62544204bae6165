using Pulumirpc;

namespace Boma.Pulumi;

/// <summary>Diagnostics shown by the engine (Engine.Log).</summary>
public static class Log
{
    /// <summary>Debug message (shown with verbose logging).</summary>
    public static void Debug(string message, Resource? resource = null) => Send(LogSeverity.Debug, message, resource);

    /// <summary>Informational message.</summary>
    public static void Info(string message, Resource? resource = null) => Send(LogSeverity.Info, message, resource);

    /// <summary>Warning.</summary>
    public static void Warn(string message, Resource? resource = null) => Send(LogSeverity.Warning, message, resource);

    /// <summary>Error. The run then exits 1, like the official .NET SDK.</summary>
    public static void Error(string message, Resource? resource = null) => Send(LogSeverity.Error, message, resource);

    private static void Send(LogSeverity severity, string message, Resource? resource)
    {
        if (DeploymentRun.Current is { } run)
        {
            run.Log(severity, message, resource);
        }
        else
        {
            Console.Error.WriteLine($"{severity.ToString().ToUpperInvariant()}: {message}");
        }
    }
}
