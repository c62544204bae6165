namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// A command's <c>triggers</c> from plain values and outputs. One conversion point because the official SDK's
/// <c>InputList&lt;object&gt;</c> has both <c>Add(params Input&lt;T&gt;[])</c> and <c>Add(InputList&lt;T&gt;)</c>, so a
/// collection initializer or <c>Add</c> of a string or an output is ambiguous there (CS0121); an
/// <c>Input&lt;object&gt;</c> argument is not.
/// </summary>
internal static class CommandTriggers
{
    public static InputList<object> Of(params object[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new InputList<object>();
        foreach (var item in items)
        {
            Input<object> input = item switch
            {
                Input<object> already => already,
                Output<string> text => text.Apply(v => (object)v),
                Output<object> value => value,
                _ => Output.Create(item),
            };
            list.Add(input);
        }

        return list;
    }
}
