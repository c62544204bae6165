using System.Text;

namespace Boma.Pulumi.Serialization;

/// <summary>Checks required inputs and <see cref="ResourceArgs.Validate"/> before a resource is registered.</summary>
internal static class ArgsValidator
{
    public static void Validate(string type, string name, ResourceArgs args)
    {
        var problems = new List<string>();
        Collect(args, args.GetType().Name, problems);
        if (problems.Count == 0)
        {
            return;
        }

        var message = new StringBuilder();
        message.Append("Resource '").Append(name).Append("' (").Append(type).Append(") has invalid inputs:");
        foreach (var p in problems)
        {
            message.Append("\n  - ").Append(p);
        }

        throw new ResourceException(message.ToString(), null);
    }

    private static void Collect(ResourceArgs args, string path, List<string> problems)
    {
        foreach (var (attr, member) in args.InputMembers())
        {
            var value = ResourceArgs.GetValue(member, args);
            if (value is null)
            {
                if (attr.IsRequired)
                {
                    problems.Add($"missing required input '{attr.Name}': set {path}.{member.Name}.");
                }

                continue;
            }

            // Nested args given as plain values can be checked now; ones behind outputs are checked by the provider.
            if (value is ResourceArgs nested)
            {
                Collect(nested, $"{path}.{member.Name}", problems);
            }
            else if (value is IInput input && input.ToUntypedOutput() is IOutput output
                && PeekKnown(output) is ResourceArgs nestedInOutput)
            {
                Collect(nestedInOutput, $"{path}.{member.Name}", problems);
            }
        }

        foreach (var message in args.Validate())
        {
            problems.Add($"{path}: {message}");
        }
    }

    private static object? PeekKnown(IOutput output)
    {
        if (!output.Completion.IsCompletedSuccessfully)
        {
            return null;
        }

        var data = output.CompletedData();
        return data.IsKnown ? data.Value : null;
    }
}
