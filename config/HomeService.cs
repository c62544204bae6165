namespace Boma.Infra.Config;

/// <summary>A home service named <c>&lt;name&gt;.&lt;domain&gt;</c>; reachable over the mesh/LAN only unless <see cref="Public"/>.</summary>
internal sealed record HomeService(string Name, bool Public);
