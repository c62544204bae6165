using System.Text.Json.Nodes;

namespace Boma.Infra.Policy;

/// <summary>
/// Adapter from what the SDK's recording monitor captures (a RegisterResourceRequest plus its URN and the
/// inputs in wire form) to the neutral model, so the unit tests apply the same rule file as guard.
/// It takes the request's fields rather than the SDK's RecordedRegistration type so it does not depend on the
/// Testing API's exact class; a test maps a registration with
/// <c>RegistrationAdapter.FromRequest(r.Urn, r.Request.Type, r.Request.Name, r.Request.Parent, r.Request.Custom,
/// r.Request.Protect, r.Inputs, r.Request.IgnoreChanges, …)</c>.
/// </summary>
public static class RegistrationAdapter
{
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
