using Boma.Pulumi.Providers;

namespace Boma.Pulumi.ProxmoxVE.Download;

public sealed partial class FileArgs
{
    partial void AddChecks(List<string> errors)
    {
        ProviderChecks.OneOf(errors, "contentType", ContentType, "iso", "import", "vztmpl");
        ProviderChecks.OneOf(errors, "checksumAlgorithm", ChecksumAlgorithm, "md5", "sha1", "sha224", "sha256", "sha384", "sha512");
        ProviderChecks.OneOf(errors, "decompressionAlgorithm", DecompressionAlgorithm, "gz", "lzo", "zst", "bz2");
        if (Url is not null && KnownValue.TryGet(Url, out var url, out var secret)
            && !(url.StartsWith("https://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal)))
        {
            ProviderChecks.Fail(errors, "url", $"{ProviderChecks.Show(url, secret)} is not an http(s) URL", "give the image's http:// or https:// URL");
        }

        if (Checksum is not null && ChecksumAlgorithm is null)
        {
            ProviderChecks.Fail(errors, "checksumAlgorithm", "not set although checksum is", "set ChecksumAlgorithm (e.g. \"sha512\")");
        }
    }
}
