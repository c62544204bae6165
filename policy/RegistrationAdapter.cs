using System.Text.Json.Nodes;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Policy;

/// <summary>
/// Adapter from what the SDK's recording monitor captures (a RegisterResourceRequest plus its URN and the
/// inputs in wire form) to the neutral model, so the unit tests apply the same rule file as guard.
/// <see cref="FromRecorded"/> reads the SDK's <see cref="RecordedRegistration"/>; <see cref="FromRequest"/> takes
/// the fields one by one (for views built by hand, or from another recorder).
/// </summary>
public static class RegistrationAdapter
{
    /// <summary>The view of one registration the recording monitor captured (inputs in wire form).</summary>
    public static ResourceView FromRecorded(RecordedRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var request = registration.Request;
        return FromRequest(
            registration.Urn,
            request.Type,
            request.Name,
            request.Parent,
            request.Custom,
            request.HasProtect && request.Protect,
            registration.Inputs,
            request.IgnoreChanges,
            request.AdditionalSecretOutputs,
            request.HasRetainOnDelete && request.RetainOnDelete,
            request.DeleteBeforeReplace,
            request.ReplaceOnChanges,
            request.Dependencies) with
        {
            Provider = string.IsNullOrEmpty(request.Provider) ? null : request.Provider,
        };
    }

    /// <summary>Every registration of a test run, in the order the program sent them.</summary>
    public static IReadOnlyList<ResourceView> FromTestResult(TestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Registrations.Select(FromRecorded).ToList();
    }

    /// <summary>Builds the view of one recorded registration; a null or empty parent means "none".</summary>
    public static ResourceView FromRequest(
        string urn,
        string type,
        string name,
        string? parent,
        bool custom,
        bool protect,
        JsonObject inputs,
        IEnumerable<string>? ignoreChanges = null,
        IEnumerable<string>? additionalSecretOutputs = null,
        bool retainOnDelete = false,
        bool deleteBeforeReplace = false,
        IEnumerable<string>? replaceOnChanges = null,
        IEnumerable<string>? dependencies = null)
    {
        ArgumentNullException.ThrowIfNull(urn);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(inputs);
        return new ResourceView
        {
            Urn = urn,
            Type = type,
            Name = name,
            Parent = string.IsNullOrEmpty(parent) ? null : parent,
            Custom = custom,
            Protect = protect,
            RetainOnDelete = retainOnDelete,
            DeleteBeforeReplace = deleteBeforeReplace,
            Inputs = (JsonObject)inputs.DeepClone(),
            IgnoreChanges = ignoreChanges?.ToList() ?? [],
            AdditionalSecretOutputs = additionalSecretOutputs?.ToList() ?? [],
            ReplaceOnChanges = replaceOnChanges?.ToList() ?? [],
            Dependencies = dependencies?.ToList() ?? [],
            Op = "register",
        };
    }
}
