using NUnit.Framework;
using System.Text.Json.Nodes;
using Boma.Pulumi.Testing;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>Runs a program under Deployment.TestAsync with the recording monitor and reads what was sent.</summary>
internal static class ProviderRun
{
    public const string SecretSig = "1b47061264138c4ac30d75fd1eb44270";
    public const string SigKey = "4dabf18193072939515e22adb298388d";

    public static Task<TestResult> RunAsync(Action program) =>
        global::Boma.Pulumi.Deployment.TestAsync(new EchoMocks(), () =>
        {
            program();
            return new Dictionary<string, object?>();
        });

    /// <summary>The exception construction threw inside the program (the run reports it), or null.</summary>
    public static async Task<(Exception? Error, TestResult? Result)> FailureOfAsync(Action program)
    {
        try
        {
            var result = await RunAsync(program);
            var error = result.Exception;
            while (error is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                error = aggregate.InnerExceptions[0];
            }

            return (error, result);
        }
        catch (ResourceException e)
        {
            return (e, null);
        }
    }

    public static RecordedRegistration Registration(TestResult result, string type, string? name = null) =>
        result.Registrations.Single(r => r.Request.Type == type && (name is null || r.Request.Name == name));

    public static bool IsSecret(JsonNode? node) =>
        node is JsonObject o && o[SigKey]?.GetValue<string>() == SecretSig;

    /// <summary>The value inside a secret wrapper (or the node itself).</summary>
    public static JsonNode? Unwrap(JsonNode? node) => IsSecret(node) ? node!["value"] : node;
}
