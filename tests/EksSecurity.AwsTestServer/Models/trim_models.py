#!/usr/bin/env python3
"""Regenerates Models/aws-models.json: the subset of the official AWS service models
(operations the test server implements and every shape they reach) that drives its
request parsing and response serialization.

Sources: EKS and IAM from shared/aws-models/ (the project's copy of the official
definitions); EC2, KMS and STS from botocore's data directory (the same official
models, shipped with the aws CLI: Debian's awscli or pip's botocore).

    python3 tests/EksSecurity.AwsTestServer/Models/trim_models.py [path/to/shared/aws-models]
"""
import gzip, json, os, sys

OPS = {
    "eks": ["ListClusters", "DescribeCluster", "DescribeClusterVersions", "ListNodegroups",
            "DescribeNodegroup", "ListAddons", "DescribeAddon", "ListAccessEntries",
            "DescribeAccessEntry", "ListAssociatedAccessPolicies", "ListPodIdentityAssociations",
            "DescribePodIdentityAssociation", "ListFargateProfiles", "DescribeFargateProfile",
            "ListIdentityProviderConfigs", "DescribeIdentityProviderConfig"],
    "iam": ["GetRole", "ListRoles", "ListAttachedRolePolicies", "ListRolePolicies", "GetRolePolicy",
            "GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "GetUser", "ListUsers",
            "ListMFADevices", "GetLoginProfile", "ListAccessKeys", "GetAccessKeyLastUsed",
            "ListAttachedUserPolicies", "ListUserPolicies", "GetUserPolicy",
            "ListOpenIDConnectProviders", "GetOpenIDConnectProvider", "GetAccountPasswordPolicy",
            "GetAccountSummary", "GetInstanceProfile", "ListInstanceProfilesForRole"],
    "sts": ["GetCallerIdentity", "AssumeRole"],
    "ec2": ["DescribeInstances", "DescribeLaunchTemplates", "DescribeLaunchTemplateVersions",
            "DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeSubnets",
            "DescribeRouteTables", "DescribeVpcs"],
    "kms": ["DescribeKey", "GetKeyRotationStatus", "GetKeyPolicy", "ListKeys", "ListAliases"],
}
BOTOCORE_DIRS = {"ec2": "ec2/2016-11-15", "kms": "kms/2014-11-01", "sts": "sts/2011-06-15"}
KEEP_SHAPE_KEYS = {"type", "members", "member", "key", "value", "required", "locationName",
                   "flattened", "timestampFormat", "error", "exception", "fault", "enum",
                   "min", "max", "xmlNamespace", "payload"}
KEEP_MEMBER_KEYS = {"shape", "location", "locationName", "flattened", "queryName",
                    "timestampFormat", "xmlNamespace", "idempotencyToken", "jsonvalue"}


def load(path):
    if os.path.exists(path):
        with open(path, "rb") as f:
            return json.load(f)
    with gzip.open(path + ".gz", "rb") as f:
        return json.load(f)


def trim(model, paginators, ops):
    shapes = model["shapes"]
    keep, todo = set(), []

    def reach(name):
        if name and name not in keep:
            keep.add(name)
            todo.append(name)

    out_ops = {}
    for op in ops:
        o = model["operations"][op]
        out_ops[op] = {k: o[k] for k in ("name", "http", "input", "output", "errors") if k in o}
        for k in ("input", "output"):
            if k in o:
                reach(o[k]["shape"])
        for e in o.get("errors", []):
            reach(e["shape"])
        if op in paginators:
            out_ops[op]["paginator"] = paginators[op]
    while todo:
        s = shapes[todo.pop()]
        for m in s.get("members", {}).values():
            reach(m["shape"])
        for k in ("member", "key", "value"):
            if k in s:
                reach(s[k]["shape"])
    out_shapes = {}
    for name in sorted(keep):  # shapes sorted; members keep the model order (the order AWS answers in)
        s = {k: v for k, v in shapes[name].items() if k in KEEP_SHAPE_KEYS}
        if "members" in s:
            s["members"] = {mn: {k: v for k, v in m.items() if k in KEEP_MEMBER_KEYS}
                            for mn, m in s["members"].items()}
        for k in ("member", "key", "value"):
            if k in s:
                s[k] = {kk: vv for kk, vv in s[k].items() if kk in KEEP_MEMBER_KEYS}
        out_shapes[name] = s
    meta = {k: v for k, v in model["metadata"].items()
            if k in ("apiVersion", "endpointPrefix", "jsonVersion", "protocol", "signingName",
                     "targetPrefix", "xmlNamespace", "serviceId", "globalEndpoint")}
    return {"metadata": meta, "operations": out_ops, "shapes": out_shapes}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "..", "shared", "aws-models")
    import botocore
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    result = {}
    for svc, ops in OPS.items():
        base = os.path.join(shared, svc) if svc in ("eks", "iam") else os.path.join(data, BOTOCORE_DIRS[svc])
        model = load(os.path.join(base, "service-2.json"))
        pag = load(os.path.join(base, "paginators-1.json")).get("pagination", {})
        result[svc] = trim(model, pag, ops)
    with open(os.path.join(here, "aws-models.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
