using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Command.Remote;

public sealed partial class CopyToRemoteArgs
{
    partial void AddChecks(List<string> errors)
    {
        // command 1.2.1's Check accepts only these three; remote assets and asset archives fail at apply.
        if (Source is not null && KnownValue.TryGet(Source, out var source)
            && source is not (FileAsset or StringAsset or FileArchive))
        {
            ProviderChecks.Fail(errors, "source", $"a {source.GetType().Name} cannot be copied", "use a FileAsset, a StringAsset or a FileArchive");
        }
    }
}
