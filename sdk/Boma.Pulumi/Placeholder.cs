namespace Boma.Pulumi; internal static class Placeholder { }
