using YamlDotNet.RepresentationModel;

namespace Boma.Infra.Tests.Cli;

/// <summary>One PR workflow file, parsed as YAML, with helpers to reach jobs and steps.</summary>
internal sealed class Workflow
{
    private Workflow(string path, YamlMappingNode root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public YamlMappingNode Root { get; }

    public static Workflow Load(string relativePath)
    {
        var path = System.IO.Path.Combine(TestPaths.RepoRoot, relativePath);
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return new Workflow(path, (YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public YamlMappingNode Job(string id) => (YamlMappingNode)((YamlMappingNode)Root["jobs"])[id];

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    public IEnumerable<YamlMappingNode> Steps(string jobId) =>
        ((YamlSequenceNode)Job(jobId)["steps"]).Children.Cast<YamlMappingNode>();

    public YamlMappingNode Step(string jobId, string stepId) =>
        Steps(jobId).Single(s => Scalar(s, "id") == stepId);

    /// <summary>Every shell script of the workflow, with the job and step it belongs to.</summary>
    public IEnumerable<(string Job, string Step, string Script)> RunScripts() =>
        ((YamlMappingNode)Root["jobs"]).Children.SelectMany(job =>
            ((YamlSequenceNode)((YamlMappingNode)job.Value)["steps"]).Children.Cast<YamlMappingNode>()
                .Where(s => Scalar(s, "run") is not null)
                .Select(s => (((YamlScalarNode)job.Key).Value!, Scalar(s, "name") ?? "?", Scalar(s, "run")!)));
}
