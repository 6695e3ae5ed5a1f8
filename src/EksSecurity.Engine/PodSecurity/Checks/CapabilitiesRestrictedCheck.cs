namespace EksSecurity.Engine.PodSecurity.Checks;

/// <summary>
/// capabilities_restricted (restricted, v1.22+, overrides capabilities_baseline): every
/// container must drop "ALL" and may add only NET_BIND_SERVICE. v1.25+: Windows pods are exempt.
/// </summary>
internal sealed class CapabilitiesRestrictedCheck : PodSecurityCheck
{
    public const string CheckId = "capabilities_restricted";
    public override string Id => CheckId;
    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;
    public override IReadOnlyList<PodSecurityCheckVariant> Variants { get; } =
    [
        new(22, V1_22, CapabilitiesBaselineCheck.CheckId),
        new(25, pod => pod.IsWindows ? null : V1_22(pod), CapabilitiesBaselineCheck.CheckId),
    ];

    private static PodSecurityViolation? V1_22(PodSecurityContext pod)
    {
        List<string>? missingDropAll = null;
        List<string>? addingForbidden = null;
        List<string>? forbiddenCaps = null;
        foreach (ref readonly var c in pod.Containers.AsSpan())
        {
            var caps = c.SecurityContext?.Capabilities;
            if (caps is null)
            {
                (missingDropAll ??= []).Add(c.Name);
                continue;
            }

            var droppedAll = false;
            if (caps.Drop is { } drop)
                for (var i = 0; i < drop.Count; i++)
                    if (drop[i] == "ALL") { droppedAll = true; break; }
            if (!droppedAll) (missingDropAll ??= []).Add(c.Name);

            var addedForbidden = false;
            if (caps.Add is { } add)
                for (var i = 0; i < add.Count; i++)
                {
                    var cap = add[i] ?? "";
                    if (cap != "NET_BIND_SERVICE")
                    {
                        addedForbidden = true;
                        (forbiddenCaps ??= []).Add(cap);
                    }
                }
            if (addedForbidden) (addingForbidden ??= []).Add(c.Name);
        }
        if (missingDropAll is null && addingForbidden is null) return null;

        string detail;
        List<string> named;
        if (missingDropAll is not null)
        {
            detail = PodSecurityFormat.Containers(missingDropAll) + " must set securityContext.capabilities.drop=[\"ALL\"]";
            named = new List<string>(missingDropAll);
            if (addingForbidden is not null)
            {
                detail += "; " + AddDetail(addingForbidden, forbiddenCaps!);
                named.AddRange(addingForbidden);
            }
        }
        else
        {
            detail = AddDetail(addingForbidden!, forbiddenCaps!);
            named = addingForbidden!;
        }
        return Fail(CheckId, "unrestricted capabilities", detail, named);
    }

    private static string AddDetail(List<string> containers, List<string> caps) =>
        PodSecurityFormat.Containers(containers) + " must not include " + PodSecurityFormat.JoinQuote(PodSecurityFormat.SortedSet(caps)) +
        " in securityContext.capabilities.add";
}
