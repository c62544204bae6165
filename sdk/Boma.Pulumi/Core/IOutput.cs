namespace Boma.Pulumi;

/// <summary>Untyped view of an output, so the serializer can await any <see cref="Output{T}"/>.</summary>
internal interface IOutput
{
    Task<OutputData<object?>> GetUntypedDataAsync();
}
