using System.Management.Automation;

namespace EksSecurity.PowerShell.Cmdlets;

/// <summary>
/// Test-EksIrsa: for each service account that asks for an IAM role through IRSA, whether it really gets
/// exactly that role and only it: issuer, IAM provider, role, trust policy scope, the injected web identity,
/// what the role can do and whether the node role is still within reach.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EksIrsa", DefaultParameterSetName = "Snapshot")]
[OutputType(typeof(WorkloadIdentityResult), typeof(bool))]
public sealed class TestEksIrsaCommand : WorkloadIdentityTestCmdlet
{
    protected override IReadOnlyList<WorkloadIdentityResult> Test(IClusterSnapshot snapshot, WorkloadIdentityQuery query) =>
        Engine.TestIrsa(snapshot, query, StopToken);
}
