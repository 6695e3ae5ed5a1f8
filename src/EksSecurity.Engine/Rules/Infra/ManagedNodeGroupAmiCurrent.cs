using System.Globalization;
using EksSecurity.Engine.Aws.Model;

namespace EksSecurity.Engine.Rules.Infra;

/// <summary>EKS-INFRA-004: each managed node group runs a recent EKS optimized AMI release and reports no health issues.</summary>
public sealed class ManagedNodeGroupAmiCurrent : Rule
{
    public override EksSecurityRule Metadata { get; } = new()
    {
        Id = "EKS-INFRA-004",
        Title = "Managed node group AMI current",
        Severity = Severity.Medium,
        Area = RuleArea.Infra,
        Rationale = "Every EKS optimized AMI release carries the latest kernel, containerd, kubelet and OS security fixes. Managed node groups do not " +
                    "move to a new release by themselves, so a group left alone keeps running known-vulnerable software for as long as nobody rolls it. " +
                    "Health issues on the group (missing security groups, instance profiles, launch failures) stop it from replacing nodes at all.",
        Remediation = "Roll the node group onto the latest release for its Kubernetes version: aws eks update-nodegroup-version --cluster-name <cluster> " +
                      "--nodegroup-name <name> (with a launch template: --launch-template name=<lt>,version=<new-version>). Automate it, for example on " +
                      "each new release parameter (/aws/service/eks/optimized-ami/...). Fix reported health issues first: aws eks describe-nodegroup " +
                      "--cluster-name <cluster> --nodegroup-name <name> --query nodegroup.health.",
        References =
        [
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html#_keep_your_worker_node_os_updated",
            "https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html#_treat_your_infrastructure_as_immutable_and_automate_the_replacement_of_your_worker_nodes",
            "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id-bottlerocket.html",
        ],
        Frameworks = [],
        Reads = [SnapshotSection.NodeGroups],
        OptionallyReads = [SnapshotSection.AmiReleases],
        Tags = ["aws", "nodes", "ami", "patching"],
    };

    /// <summary>
    /// The public SSM parameter that holds the recommended release for a node group's Kubernetes version and AMI type:
    /// what collectors read with ssm:GetParameter into the AmiReleases section. Null for AMI types without one (custom, Windows).
    /// </summary>
    public static string? RecommendedReleaseParameter(string? kubernetesVersion, string? amiType)
    {
        if (string.IsNullOrWhiteSpace(kubernetesVersion) || string.IsNullOrWhiteSpace(amiType)) return null;
        var v = kubernetesVersion.Trim();
        string Al(string family) => $"/aws/service/eks/optimized-ami/{v}/{family}/recommended/release_version";
        string Br(string variant, string arch) => $"/aws/service/bottlerocket/aws-k8s-{v}{variant}/{arch}/latest/image_version";
        return amiType.Trim() switch
        {
            "AL2_x86_64" => Al("amazon-linux-2"),
            "AL2_x86_64_GPU" => Al("amazon-linux-2-gpu"),
            "AL2_ARM_64" => Al("amazon-linux-2-arm64"),
            "AL2023_x86_64_STANDARD" => Al("amazon-linux-2023/x86_64/standard"),
            "AL2023_ARM_64_STANDARD" => Al("amazon-linux-2023/arm64/standard"),
            "AL2023_x86_64_NEURON" => Al("amazon-linux-2023/x86_64/neuron"),
            "AL2023_x86_64_NVIDIA" => Al("amazon-linux-2023/x86_64/nvidia"),
            "AL2023_ARM_64_NVIDIA" => Al("amazon-linux-2023/arm64/nvidia"),
            "BOTTLEROCKET_x86_64" => Br("", "x86_64"),
            "BOTTLEROCKET_ARM_64" => Br("", "arm64"),
            "BOTTLEROCKET_x86_64_FIPS" => Br("-fips", "x86_64"),
            "BOTTLEROCKET_ARM_64_FIPS" => Br("-fips", "arm64"),
            "BOTTLEROCKET_x86_64_NVIDIA" => Br("-nvidia", "x86_64"),
            "BOTTLEROCKET_ARM_64_NVIDIA" => Br("-nvidia", "arm64"),
            "BOTTLEROCKET_x86_64_NVIDIA_FIPS" => Br("-nvidia-fips", "x86_64"),
            "BOTTLEROCKET_ARM_64_NVIDIA_FIPS" => Br("-nvidia-fips", "arm64"),
            _ => null,
        };
    }

    public override IEnumerable<EksSecurityFinding> Evaluate(RuleContext context)
    {
        var collectedAt = context.Snapshot.CollectedAt;
        var now = collectedAt ?? DateTimeOffset.UtcNow;
        var maxDays = context.Settings.AmiMaxDaysBehindRecommended;
        foreach (var nodeGroup in context.Aws.NodeGroups!.All)
        {
            var name = nodeGroup.NodegroupName ?? "(unnamed)";
            var resource = new ResourceRef("NodeGroup", null, name);
            var evidence = new List<string>
            {
                $"version = {nodeGroup.Version ?? "(absent)"}, amiType = {nodeGroup.AmiType ?? "(absent)"}, releaseVersion = {nodeGroup.ReleaseVersion ?? "(absent)"}",
            };
            var problems = new List<string>();
            var issues = nodeGroup.Health?.Issues ?? [];
            foreach (var issue in issues)
                evidence.Add($"health issue {issue.Code ?? "(no code)"}: {issue.Message ?? ""}" + (issue.ResourceIds is { Count: > 0 } ids ? $" [{string.Join(", ", ids)}]" : ""));
            if (issues.Count > 0) problems.Add($"it reports health issue(s) {string.Join(", ", issues.Select(i => i.Code ?? "(no code)").Distinct())}");

            var currency = JudgeCurrency(context, nodeGroup, now, maxDays, evidence);
            if (currency.Problem is not null) problems.Add(currency.Problem);

            if (problems.Count > 0)
                yield return context.Fail(resource, $"Node group {name}: {string.Join("; ", problems)}.", evidence);
            else if (currency.Unknown is not null)
                yield return context.Error(resource, $"Whether node group {name} runs a current AMI could not be judged: {currency.Unknown}.", evidence);
            else if (currency.NotJudged is not null)
                yield return context.Finding(FindingStatus.NotApplicable, resource, $"Node group {name} reports no health issues; {currency.NotJudged}.", evidence);
            else
                yield return context.Pass(resource, $"Node group {name} {currency.Summary} and reports no health issues.", evidence);
        }
    }

    private readonly record struct Currency(string? Problem = null, string? Unknown = null, string? NotJudged = null, string? Summary = null);

    private static Currency JudgeCurrency(RuleContext context, EksNodegroup nodeGroup, DateTimeOffset now, int maxDays, List<string> evidence)
    {
        var amiType = nodeGroup.AmiType?.Trim();
        if (amiType == "CUSTOM")
            return new(NotJudged: "its AMI is custom (launch template), so its currency is the owner's to track");
        if (amiType is not null && amiType.StartsWith("WINDOWS_", StringComparison.Ordinal))
            return new(NotJudged: "EKS publishes no release-version parameter for Windows AMIs, so its currency is not judged here");
        var parameterName = RecommendedReleaseParameter(nodeGroup.Version, amiType);
        if (parameterName is null)
            return new(Unknown: $"no recommended-release parameter is known for version '{nodeGroup.Version ?? "(absent)"}' and AMI type '{amiType ?? "(absent)"}'");
        if (string.IsNullOrWhiteSpace(nodeGroup.ReleaseVersion))
            return new(Unknown: "the node group reports no releaseVersion");
        if (!context.Has(SnapshotSection.AmiReleases))
        {
            var info = context.Snapshot.DescribeSection(SnapshotSection.AmiReleases);
            return new(Unknown: $"the recommended release {parameterName} was not collected (section AmiReleases: {info.Status}" + (info.Permission is null ? ")" : $", needs {info.Permission})"));
        }
        var parameter = context.Aws.AmiReleases!.All.FirstOrDefault(p => p.Name == parameterName);
        if (parameter is null || string.IsNullOrWhiteSpace(parameter.Value))
            return new(Unknown: $"the AmiReleases section has no value for {parameterName}");

        var current = nodeGroup.ReleaseVersion.Trim();
        var recommended = parameter.Value.Trim();
        evidence.Add($"{parameterName} = {recommended}" + (parameter.LastModifiedDate is { } published ? $" (published {Day(published)})" : ""));
        if (current == recommended) return new(Summary: $"runs the recommended release {recommended}");

        // Amazon Linux: "1.31.2-20241121", the build date after the dash.
        if (BuildDate(current) is { } currentDate && BuildDate(recommended) is { } recommendedDate)
        {
            var behind = (int)(recommendedDate - currentDate).TotalDays;
            if (behind <= 0) return new(Summary: $"runs release {current}, not older than the recommended {recommended}");
            evidence.Add($"release {current} is {behind} day(s) older than {recommended}; allowed {maxDays} (AmiMaxDaysBehindRecommended)");
            return behind > maxDays
                ? new(Problem: $"its AMI release {current} is {behind} days older than the recommended {recommended}")
                : new(Summary: $"runs release {current}, {behind} day(s) behind the recommended {recommended}, within {maxDays} days");
        }

        // Bottlerocket: "1.26.2-360b7a38", a semantic version before the dash.
        if (SemVer(current) is { } currentVersion && SemVer(recommended) is { } recommendedVersion)
        {
            if (currentVersion >= recommendedVersion) return new(Summary: $"runs release {current}, not older than the recommended {recommended}");
            if (parameter.LastModifiedDate is not { } since)
                return new(Unknown: $"release {current} is older than the recommended {recommended}, but the parameter gives no publication date to measure by");
            var days = (int)Math.Floor((now - since).TotalDays);
            evidence.Add($"release {current} is older than {recommended}, which has been recommended for {days} day(s); allowed {maxDays} (AmiMaxDaysBehindRecommended)");
            return days > maxDays
                ? new(Problem: $"its AMI release {current} is older than {recommended}, recommended for {days} days")
                : new(Summary: $"runs release {current}; the newer {recommended} has been out only {days} day(s), within {maxDays} days");
        }

        return new(Unknown: $"release '{current}' and recommended '{recommended}' cannot be compared");
    }

    private static DateTime? BuildDate(string release)
    {
        var dash = release.LastIndexOf('-');
        if (dash < 0) return null;
        return DateTime.TryParseExact(release[(dash + 1)..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
    }

    private static Version? SemVer(string release)
    {
        var dash = release.IndexOf('-');
        var text = (dash < 0 ? release : release[..dash]).TrimStart('v');
        return text.Count(c => c == '.') == 2 && Version.TryParse(text, out var v) ? v : null;
    }

    private static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
