namespace EksSecurity;

/// <summary>How serious a failing check is. Ordered, so <c>Where Severity -ge High</c> works.</summary>
public enum Severity
{
    Informational = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>The outcome of one check on one resource.</summary>
public enum FindingStatus
{
    /// <summary>Checked, and compliant.</summary>
    Pass,
    /// <summary>Checked, and not compliant.</summary>
    Fail,
    /// <summary>Checked; compliant but weaker than recommended, or needing a human look.</summary>
    Warning,
    /// <summary>Could not be checked (data denied, missing or failed to collect). Never a pass.</summary>
    Error,
    /// <summary>Checked, and nothing the rule judges exists in this cluster.</summary>
    NotApplicable,
    /// <summary>Would have failed or warned, but an exclusion the user can see and override applies.</summary>
    Suppressed,
}

/// <summary>The area of the EKS Best Practices Guide a rule belongs to; the middle part of its id.</summary>
public enum RuleArea
{
    Iam,
    Pod,
    Net,
    Data,
    Log,
    Mon,
    Infra,
    Img,
    Runtime,
    Tenant,
    Health,
}

/// <summary>How a snapshot section was obtained.</summary>
public enum SectionStatus
{
    /// <summary>Not collected at all (not requested, or the source does not have it).</summary>
    NotCollected,
    /// <summary>Collected completely.</summary>
    Collected,
    /// <summary>The caller lacked a permission; <see cref="SectionInfo.Permission"/> names it.</summary>
    Denied,
    /// <summary>Collection failed (timeout, throttling past retries, server error); <see cref="SectionInfo.Reason"/> says why.</summary>
    Failed,
}

/// <summary>What Get-EksSecurityScannerPolicy writes: the IAM policy for the AWS calls, or the Kubernetes ClusterRole for the API reads.</summary>
public enum ScannerPolicyType
{
    IamPolicy,
    ClusterRole,
}
