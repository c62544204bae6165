namespace Boma.Pulumi;

/// <summary>Untyped view of an output, so the serializer can await any <see cref="Output{T}"/>.</summary>
internal interface IOutput
{
    /// <summary>The output's own task, untyped: await it, then read <see cref="CompletedData"/>. No task is made for the view.</summary>
    Task Completion { get; }

    /// <summary>The data of a completed <see cref="Completion"/>, untyped; throws its failure if it failed.</summary>
    OutputData<object?> CompletedData();
}
