using System.Reflection.PortableExecutable;
using Boma.Infra.Tests.Docs;

namespace Boma.Infra.Tests.Build;

/// <summary>
/// docs/benchmarks.md: `dotnet build` precompiles the program (Directory.Build.props/.targets), so `pulumi up`'s
/// `dotnet build` + run and `./boma` start without waiting for the JIT. A ReadyToRun image carries a managed native
/// header in its CLI header; plain IL does not.
/// </summary>
[TestFixture]
public sealed class ReadyToRunTests
{
    private static readonly string[] Precompiled =
        ["Boma.Infra.dll", "Boma.Pulumi.dll", "Boma.Pulumi.Providers.dll", "Google.Protobuf.dll", "Grpc.Net.Client.dll", "YamlDotNet.dll"];

    private static bool IsReadyToRun(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    [Test]
    public void The_built_program_and_the_sdk_it_runs_on_are_ReadyToRun_images()
    {
        // The program's own output folder (the build of the test project built it in the same configuration).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var output = Path.Combine(RepoRoot.Path, "bin", configuration, "net10.0");
        Assert.Multiple(() =>
        {
            foreach (var dll in Precompiled)
            {
                Assert.That(IsReadyToRun(Path.Combine(output, dll)), Is.True, $"{dll} in {output} is plain IL");
            }
        });
    }

    [Test]
    public void The_check_tells_plain_IL_apart()
    {
        // The SDK's own build output is a library: never precompiled.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var library = Path.Combine(RepoRoot.Path, "sdk", "Boma.Pulumi", "bin", configuration, "net10.0", "Boma.Pulumi.dll");
        Assert.That(IsReadyToRun(library), Is.False);
    }
}
