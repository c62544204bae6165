namespace Boma.Infra.Policy;

/// <summary>One step of a preview: the operation and the resource's state before and after it.</summary>
public sealed record PlannedChange(string Op, string Urn, ResourceView? Old, ResourceView? New)
{
    /// <summary>Property names that force a replacement (the preview's replaceReasons); names only, never values.</summary>
    public IReadOnlyList<string> ReplaceReasons { get; init; } = [];

    /// <summary>The resource's type from whichever state is present.</summary>
    public string Type => New?.Type ?? Old?.Type ?? ResourceView.TypeFromUrn(Urn);
}
