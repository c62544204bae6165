using NUnit.Framework;
using System.Text.Json.Nodes;
using Boma.Infra.Policy;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Components;

/// <summary>Small readers over a test run's recorded registrations.</summary>
internal static class Registrations
{
    public static IReadOnlyList<RecordedRegistration> OfType(this TestResult result, string type) =>
        result.Registrations.Where(r => r.Request.Type == type).ToList();

    public static RecordedRegistration Single(this TestResult result, string type) =>
        result.Registrations.Single(r => r.Request.Type == type);

    /// <summary>A plain input value: secrets unwrapped, JSON as it was sent.</summary>
    public static JsonNode? Input(this RecordedRegistration r, string key) =>
        WireValue.Unwrap(r.Inputs[key]);

    public static string? InputString(this RecordedRegistration r, string key) => WireValue.AsString(r.Inputs[key]);

    /// <summary>Every registration as the invariant rules see it (same adapter as guard's).</summary>
    public static IReadOnlyList<ResourceView> Views(this TestResult result) =>
        result.Registrations.Select(r => RegistrationAdapter.FromRequest(
            r.Urn, r.Request.Type, r.Request.Name, r.Request.Parent, r.Request.Custom, r.Request.Protect, r.Inputs,
            r.Request.IgnoreChanges, r.Request.AdditionalSecretOutputs, r.Request.HasRetainOnDelete && r.Request.RetainOnDelete,
            r.Request.DeleteBeforeReplace, r.Request.ReplaceOnChanges, r.Request.Dependencies)).ToList();

    /// <summary>Fails the test with the program's exception, if it threw.</summary>
    public static TestResult Ok(this TestResult result)
    {
        if (result.Exception is not null)
        {
            Assert.Fail($"the program failed: {result.Exception}");
        }

        return result;
    }
}
