using NUnit.Framework;
using System.Runtime.Versioning;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>
/// hosts/compose/compose-up.sh, the one deploy step of every compose project (components/ComposeStack.cs), run by
/// bash with a recording `docker` first on PATH: it installs exactly the staged files and runs compose up, and it
/// never creates a network (the docker bootstrap step does, once).
/// </summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class ComposeUpScriptTests
{
    private string dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        dir = Directory.CreateTempSubdirectory("boma-compose-up-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        Directory.CreateDirectory(Path.Combine(dir, "stage"));
        var docker = Path.Combine(dir, "bin", "docker");
        File.WriteAllText(docker, $"#!/bin/sh\nprintf '%s\\n' \"$PWD $*\" >>'{dir}/docker.log'\n");
        File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(dir, "stage", "compose.yaml"), "name: caddy\n");
        File.WriteAllText(Path.Combine(dir, "stage", "Caddyfile"), ":80\n");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    private Task<Tools.Result> Run(params string[] args) =>
        Tools.RunAsync("bash", [Tools.Repo("hosts", "compose", "compose-up.sh"), .. args],
            env: new Dictionary<string, string> { ["PATH"] = $"{dir}/bin:/usr/bin:/bin" });

    private string DockerLog => File.Exists(Path.Combine(dir, "docker.log")) ? File.ReadAllText(Path.Combine(dir, "docker.log")) : string.Empty;

    [Test]
    public async Task Installs_the_staged_files_and_runs_compose_up_in_the_install_dir()
    {
        var install = Path.Combine(dir, "opt", "caddy");
        var run = await Run("caddy", install, "--build", Path.Combine(dir, "stage", "Caddyfile"), Path.Combine(dir, "stage", "compose.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(File.ReadAllText(Path.Combine(install, "Caddyfile")), Is.EqualTo(":80\n"));
            Assert.That(File.ReadAllText(Path.Combine(install, "compose.yaml")), Is.EqualTo("name: caddy\n"));
            Assert.That(DockerLog, Is.EqualTo($"{install} compose -p caddy up -d --build --force-recreate --remove-orphans\n"));
            Assert.That(File.ReadAllText(Tools.Repo("hosts", "compose", "compose-up.sh")), Does.Not.Contain("network create"));
        });
    }

    [Test]
    public async Task A_file_that_was_not_staged_stops_before_compose_runs()
    {
        var run = await Run("netbird", Path.Combine(dir, "opt", "netbird"), Path.Combine(dir, "stage", "missing.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Stderr, Does.Contain("missing.yaml was not staged"));
            Assert.That(DockerLog, Is.Empty);
        });
    }
}
