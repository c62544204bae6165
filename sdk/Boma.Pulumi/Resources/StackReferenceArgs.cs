namespace Boma.Pulumi;

/// <summary>Inputs of a <see cref="StackReference"/>.</summary>
public sealed class StackReferenceArgs : ResourceArgs
{
    /// <summary>The referenced stack, <c>org/project/stack</c>; defaults to the resource name.</summary>
    [Input("name")]
    public Input<string>? Name { get; set; }
}
