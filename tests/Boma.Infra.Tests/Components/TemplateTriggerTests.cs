using NUnit.Framework;
using Boma.Infra.Components;
using Boma.Infra.Hosts;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Components;

/// <summary>
/// "Triggers = the content hash of what each command deploys" (components/README.md): editing a template file (here the sshd drop-in
/// that sshd.sh.tmpl inlines, in a private copy of hosts/) must change that step's trigger and no other.
/// </summary>
[TestFixture]
public class TemplateTriggerTests
{
    private static readonly string[] OnlySshd = ["askari-sshd"];

    private string root = "";

    [SetUp]
    public void CopyTemplates()
    {
        root = Path.Combine(Path.GetTempPath(), "boma-trigger-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.GetFiles(Path.Combine(HostTemplates.Root, "bootstrap"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(HostTemplates.Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [TearDown]
    public void RemoveTemplates() => Directory.Delete(root, recursive: true);

    private async Task<Dictionary<string, string>> Triggers()
    {
        var result = (await Deployment.TestAsync(new CloudMocks(), () =>
        {
            BootstrapStep Step(string role, string template, Dictionary<string, string> values) =>
                new(role, template, Output.Create(HostTemplates.Render(root, template, values)));
            _ = new HostBootstrap("askari", new HostBootstrapArgs
            {
                HostName = "askari",
                Host = new RemoteHost(new SshTarget(Output.Create("198.51.100.23"), "kim", Output.CreateSecret("test-private-key"))),
                Steps =
                [
                    Step("base", "bootstrap/base.sh.tmpl", new() { ["extra_packages"] = "", ["bare_packages"] = "" }),
                    Step("sshd", "bootstrap/sshd.sh.tmpl", new() { ["admin_user"] = "kim" }),
                    Step("docker", "bootstrap/docker.sh.tmpl", new() { ["edge_network"] = string.Empty }),
                ],
            });
            return new Dictionary<string, object?>();
        })).Ok();
        return result.OfType("command:remote:Command").ToDictionary(
            c => c.Request.Name,
            c => c.Input("triggers")!.AsArray().Single()!.GetValue<string>());
    }

    [Test]
    public async Task Editing_a_template_file_changes_only_the_trigger_of_the_step_that_deploys_it()
    {
        var before = await Triggers();
        var again = await Triggers();
        Assert.That(again, Is.EqualTo(before), "an unchanged template must keep every trigger");

        var dropIn = Path.Combine(root, "bootstrap", "files", "sshd-10-boma.conf.tmpl");
        File.AppendAllText(dropIn, "ClientAliveInterval 300\n");
        var after = await Triggers();

        Assert.That(before.Keys.Where(k => before[k] != after[k]), Is.EqualTo(OnlySshd));
    }
}
