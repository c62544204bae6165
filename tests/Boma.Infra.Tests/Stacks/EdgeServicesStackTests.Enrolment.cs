using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

public sealed partial class EdgeServicesStackTests
{
    // askari enrolled into its own mesh, ubongo's enrolment command emitted (docs/netbird.md, "Peers and policies as code").
    [Test]
    public async Task Askari_joins_with_its_own_key_file_and_ubongos_command_uses_ubongos_key_off_argv()
    {
        var result = (await Run()).Ok();
        var serversKey = $"{NetbirdMocks.KeyMarker}-peers-ubongo-key";

        var enrol = Named(result, "peers-askari-enrol");
        Assert.That(enrol.InputString("create"), Does.Contain("enrol-peer.sh 'https://netbird.askari.example.org' /etc/boma/netbird/setup-keys/askari.key "));
        Assert.That(enrol.InputString("create"), Does.Not.Contain(serversKey), "askari's enrolment reads the key from its file");
        Assert.That(enrol.Request.Dependencies, Does.Contain(Named(result, "peers-askari-key").Urn));

        var command = result.StackOutputs["ubongoEnrolCommand"]!.ToString()!;
        Assert.Multiple(() =>
        {
            Assert.That(command, Does.Contain($"printf '%s\\n' '{serversKey}' | sudo install -m 0600 /dev/stdin /etc/netbird-setup-key"));
            Assert.That(command, Does.Contain("sudo netbird up --management-url https://netbird.askari.example.org --setup-key-file /etc/netbird-setup-key --hostname ubongo"));
            Assert.That(command, Does.EndWith("sudo rm -f /etc/netbird-setup-key"));
            // The key appears once, as the argument of the printf builtin, never as an argument of netbird or sudo.
            Assert.That(command.Split(serversKey).Length - 1, Is.EqualTo(1));
            Assert.That(command, Does.Not.Contain($"--setup-key {serversKey}"));
        });
    }
}
