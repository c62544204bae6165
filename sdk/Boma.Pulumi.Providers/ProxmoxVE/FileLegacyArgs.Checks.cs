using Boma.Pulumi.Providers;

namespace Boma.Pulumi.ProxmoxVE;

public sealed partial class FileLegacyArgs
{
    partial void AddChecks(List<string> errors)
    {
        if ((SourceFile is null) == (SourceRaw is null))
        {
            ProviderChecks.Fail(errors, "sourceRaw", "a file needs exactly one source", "set either SourceRaw (inline content) or SourceFile (a path or URL)");
        }

        ProviderChecks.OneOf(errors, "contentType", ContentType, "backup", "iso", "snippets", "vztmpl", "import");
    }
}
