using System.Collections.Immutable;
using Boma.Infra.Rehearsal.Deploy;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>The report's critical path (issue 17 item 4): the steps that ran one after another up to a target.</summary>
[TestFixture]
public sealed class CriticalPathTests
{
    private static readonly string[] Expected = ["base", "docker", "copy-b", "netbird-up"];
    private static readonly string[] ThroughDocker = ["base", "docker", "netbird-up"];

    private static DeployStepResult Step(string name, double start, double seconds, DeployAction action = DeployAction.Create) =>
        new(name, "urn:" + name, "command:remote:Command", action, 0, seconds, [], null, start);

    private static DeployReport Report(params DeployStepResult[] steps) =>
        new() { Steps = [.. steps], StackOutputs = ImmutableDictionary<string, string>.Empty };

    [Test]
    public void The_chain_follows_what_each_step_waited_for_and_ends_at_the_last_target_to_finish()
    {
        // base → docker → (copy a ‖ copy b) → up; proxy runs beside and finishes earlier.
        var report = Report(
            Step("base", 0, 10), Step("docker", 10.5, 20), Step("copy-a", 31, 2), Step("copy-b", 31, 5),
            Step("proxy-up", 37, 3), Step("netbird-up", 36.5, 6), Step("later", 43, 1), Step("skipped", 0, 0, DeployAction.Skip));
        var path = report.CriticalPath(["netbird-up", "proxy-up"]);
        Assert.That(path.Select(s => s.Name), Is.EqualTo(Expected));
    }

    [Test]
    public void With_recorded_dependencies_a_parallel_branch_that_finished_just_before_is_not_on_the_path()
    {
        // base → (docker ‖ hardening chain a → b); up waits for docker only. b ends right before up starts.
        static DeployStepResult On(string name, double start, double seconds, params string[] after) =>
            new(name, "urn:" + name, "command:remote:Command", DeployAction.Create, 0, seconds, [], null, start, [.. after.Select(a => "urn:" + a)]);
        var report = Report(
            On("base", 0, 10), On("docker", 10.2, 5, "base"), On("a", 10.2, 3, "base"), On("b", 13.3, 2.5, "a"),
            On("netbird-up", 15.9, 4, "docker"));
        Assert.That(report.CriticalPath(["netbird-up"]).Select(s => s.Name), Is.EqualTo(ThroughDocker));
    }

    [Test]
    public void A_target_that_did_not_run_gives_no_path()
    {
        var report = Report(Step("base", 0, 10), Step("netbird-up", 0, 0, DeployAction.NotRun));
        Assert.That(report.CriticalPath(["netbird-up"]), Is.Empty);
    }
}
