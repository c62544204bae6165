namespace Boma.Infra.Components;

/// <summary>A port open to the whole internet, with why it is open.</summary>
internal sealed record PublicPort(int Port, string Protocol, string Purpose);
