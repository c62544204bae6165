using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Boma.Infra.Tests.Docs;
using Boma.Pulumi;

namespace Boma.Infra.Tests.Components;

/// <summary>
/// The component rules of components/README.md that a registration test cannot see: one component per file named after it,
/// a <c>boma:&lt;area&gt;:&lt;Name&gt;</c> type token, and <c>RegisterOutputs()</c> as the constructor's last statement.
/// </summary>
[TestFixture]
public partial class ComponentConventionTests
{
    private static readonly Type[] Components = [.. typeof(Boma.Infra.Components.HostBootstrap).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(ComponentResource)) && t.Namespace == "Boma.Infra.Components")
        .OrderBy(t => t.Name, StringComparer.Ordinal)];

    [GeneratedRegex(@"^boma:[a-z]+:[A-Z][A-Za-z0-9]*$")]
    private static partial Regex TokenPattern();

    // RegisterOutputs(...) followed by the end of the constructor; the argument list may not contain ';'.
    [GeneratedRegex(@"RegisterOutputs\([^;]*\);\s*\}")]
    private static partial Regex RegisterOutputsLast();

    [GeneratedRegex(@"\b(class|record|struct|interface|enum)\s+[A-Z]\w*")]
    private static partial Regex TypeDeclaration();

    [Test]
    public void There_are_components() => Assert.That(Components, Has.Length.GreaterThanOrEqualTo(10));

    [TestCaseSource(nameof(Components))]
    public void Token_file_and_register_outputs_follow_the_convention(Type component)
    {
        var token = component.GetField("TypeToken", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
        Assert.That(token, Does.Match(TokenPattern()), $"{component.Name}.TypeToken");
        Assert.That(component.Name, Does.EndWith(token!.Split(':')[2]), "the token's Name part is the class name, less an area prefix");

        var file = Path.Combine(RepoRoot.Path, "components", component.Name + ".cs");
        Assert.That(File.Exists(file), Is.True, $"{component.Name} lives in components/{component.Name}.cs");
        var source = File.ReadAllText(file);
        Assert.That(Regex.Matches(source, @"RegisterOutputs\("), Has.Count.EqualTo(1), "exactly one RegisterOutputs call");
        Assert.That(source, Does.Match(RegisterOutputsLast()), "RegisterOutputs() is the constructor's last statement");
        var args = component.Name + "Args";
        var others = TypeDeclaration().Matches(source).Select(m => m.Value.Split(' ', 2)[1].Trim())
            .Where(n => n != component.Name && n != args).ToList();
        Assert.That(others, Is.Empty, "one component per file (its Args class may sit beside it)");
    }

    [Test]
    public void The_check_sees_a_late_register_outputs()
    {
        const string bad = "RegisterOutputs();\n        Extra = 1;\n    }";
        Assert.That(RegisterOutputsLast().IsMatch(bad), Is.False);
        Assert.That(RegisterOutputsLast().IsMatch("RegisterOutputs();\n    }"), Is.True);
    }
}
