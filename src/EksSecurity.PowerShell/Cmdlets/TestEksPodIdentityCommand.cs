using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// Test-EksPodIdentity: for each EKS Pod Identity association, whether it is sound: the namespace and service
/// account exist, the agent runs, the role trusts pods.eks.amazonaws.com as it should, no IRSA annotation competes.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EksPodIdentity", DefaultParameterSetName = "Snapshot")]
[OutputType(typeof(WorkloadIdentityResult), typeof(bool))]
public sealed class TestEksPodIdentityCommand : WorkloadIdentityTestCmdlet
{
    protected override IReadOnlyList<WorkloadIdentityResult> Test(IClusterSnapshot snapshot, WorkloadIdentityQuery query) =>
        Engine.TestPodIdentity(snapshot, query, StopToken);
}
