namespace Boma.Pulumi.LoopbackEngine;

/// <summary>URNs built the way the engine builds them (parent type chain joined with <c>$</c>).</summary>
public static class Urns
{
    public const string StackType = "pulumi:pulumi:Stack";

    public static string Create(string stack, string project, string parentUrn, string type, string name)
    {
        var qualified = type;
        if (parentUrn.Length > 0)
        {
            var parentType = QualifiedType(parentUrn);
            // The root stack never shows up in a child's type chain.
            if (parentType != StackType)
            {
                qualified = parentType + "$" + type;
            }
        }

        return $"urn:pulumi:{stack}::{project}::{qualified}::{name}";
    }

    /// <summary>The third <c>::</c> segment of a URN: the resource's type prefixed by its parents' types.</summary>
    public static string QualifiedType(string urn)
    {
        var parts = urn.Split("::", 4);
        return parts.Length == 4 ? parts[2] : throw new ArgumentException($"not a URN: '{urn}'", nameof(urn));
    }
}
