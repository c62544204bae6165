namespace Boma.Pulumi;

/// <summary>Untyped view of an input (<see cref="Input{T}"/>, <see cref="InputList{T}"/>, <see cref="InputMap{V}"/>).</summary>
internal interface IInput
{
    /// <summary>The whole value as one output (collections collapse their elements).</summary>
    IOutput ToUntypedOutput();
}
