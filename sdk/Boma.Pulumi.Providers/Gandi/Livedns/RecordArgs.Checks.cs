using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Gandi.Livedns;

public sealed partial class RecordArgs
{
    partial void AddChecks(List<string> errors)
    {
        // Gandi's LiveDNS limits (300 s to 30 days); the API would reject the value at apply time.
        ProviderChecks.Range(errors, "ttl", Ttl, 300, 2_592_000, "set Ttl between 300 and 2592000 seconds");
        if (Type is not null && KnownValue.TryGet(Type, out var type, out var secret) && (type.Length == 0 || type.Any(char.IsLower)))
        {
            ProviderChecks.Fail(errors, "type", $"{ProviderChecks.Show(type, secret)} is not an upper-case record type", "use A, AAAA, CNAME, TXT, MX, …");
        }

        if (Values is not null && KnownValue.TryGetList(Values, out var values))
        {
            if (values.Count == 0)
            {
                ProviderChecks.Fail(errors, "values", "is empty", "give at least one value (delete the record to remove it)");
            }

            // Gandi returns TXT values in double quotes; unquoted ones would differ on every refresh.
            if (Type is not null && KnownValue.TryGet(Type, out var recordType) && recordType == "TXT"
                && values.Any(v => v is null || v.Length < 2 || v[0] != '"' || v[^1] != '"'))
            {
                ProviderChecks.Fail(errors, "values", "a TXT value is not enclosed in double quotes", "quote each TXT value, e.g. \"\\\"v=spf1 -all\\\"\"");
            }
        }
    }
}
