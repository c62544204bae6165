namespace Boma.Pulumi; internal static class ProvidersPlaceholder { }
