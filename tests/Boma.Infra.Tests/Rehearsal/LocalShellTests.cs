using Boma.Infra.Rehearsal.Deploy;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary><see cref="LocalShell"/> runs as the provider's local Command does: interpreter + command, dir, environment, stdin.</summary>
public class LocalShellTests
{
    [Test]
    public async Task Runs_the_command_through_the_interpreter_in_dir_with_environment_and_stdin()
    {
        var dir = Directory.CreateTempSubdirectory("boma-local-").FullName;
        try
        {
            var result = await new LocalShell().RunAsync(["/bin/sh", "-c"], "pwd; printf '%s\\n' \"$BOMA_X\"; cat; echo oops >&2; exit 4", dir, "from stdin\n",
                new Dictionary<string, string> { ["BOMA_X"] = "x value" }, CancellationToken.None);

            Assert.That(result.ExitCode, Is.EqualTo(4));
            Assert.That(result.Stdout, Is.EqualTo($"{dir}\nx value\nfrom stdin\n"));
            Assert.That(result.Stderr, Is.EqualTo("oops\n"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
