namespace Boma.Infra.Policy;

/// <summary>Where a rule is checked; a rule lists its points under "enforcedBy" in the rule file.</summary>
public enum EnforcementPoint
{
    /// <summary>NUnit tests over the registrations the SDK's recording monitor captured.</summary>
    UnitTests,

    /// <summary>`boma guard` over a `pulumi preview --json` document or the offline plan's JSON.</summary>
    Guard,
}
