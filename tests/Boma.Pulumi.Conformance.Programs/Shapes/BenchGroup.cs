using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>
/// The benchmark's unit (twin of tests/conformance-js/bench/index.js): a component holding a chain of
/// text resources, each depending on the previous one's id, every third one secret.
/// </summary>
public sealed class BenchGroup : ComponentResource
{
    public BenchGroup(string name, int size, ComponentResourceOptions? options = null)
        : base("bench:index:Group", name, options)
    {
        TextResource? previous = null;
        for (var k = 0; k < size; k++)
        {
            Output<string> text = previous is null
                ? Output.Create($"{name}-{k}")
                : Output.Format($"{previous.Id}/{k}");
            if (k % 3 == 0)
            {
                text = Output.CreateSecret(text);
            }

            var options2 = new CustomResourceOptions { Parent = this };
            if (previous is not null)
            {
                options2.DependsOn = new InputList<Resource> { previous };
            }

            previous = new TextResource($"{name}-r{k}", new TextResourceArgs { Text = text }, options2);
        }

        RegisterOutputs(new Dictionary<string, object?>());
    }
}
