using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EksSecurity.AwsTestServer.Protocols;
using static EksSecurity.AwsTestServer.Services.JsonHelpers;

namespace EksSecurity.AwsTestServer.Services;

/// <summary>
/// EC2 (ec2 query protocol, XML). Objects are in the API member names the aws CLI prints
/// (InstanceId, Tags, MetadataOptions, …); the model turns them into EC2's wire names
/// (instanceId, tagSet/item, …). Filters (incl. tag:Key, tag-key, tag-value, wildcards) and
/// MaxResults/NextToken paging as EC2 does.
/// </summary>
internal static class Ec2Service
{
    private delegate IEnumerable<string?> Extract(JsonObject o);

    // ------------------------------------------------------------------ filters

    private static IEnumerable<string?> Vals(JsonNode? node, params string[] path)
    {
        IEnumerable<JsonNode?> current = new[] { node };
        foreach (var step in path)
        {
            current = current.SelectMany(n => n?[step] switch
            {
                JsonArray a => a.AsEnumerable(),
                JsonNode x => new[] { x },
                null => Enumerable.Empty<JsonNode?>(),
            });
        }
        return current.Select(WireFormat.ScalarText);
    }

    private static Dictionary<string, Extract> F(params (string Name, Extract Get)[] items) =>
        items.ToDictionary(i => i.Name, i => i.Get, StringComparer.Ordinal);

    private static readonly Dictionary<string, Extract> s_instanceFilters = F(
        ("instance-id", o => Vals(o, "InstanceId")),
        ("instance-state-name", o => Vals(o, "State", "Name")),
        ("instance-state-code", o => Vals(o, "State", "Code")),
        ("instance-type", o => Vals(o, "InstanceType")),
        ("image-id", o => Vals(o, "ImageId")),
        ("vpc-id", o => Vals(o, "VpcId")),
        ("subnet-id", o => Vals(o, "SubnetId")),
        ("availability-zone", o => Vals(o, "Placement", "AvailabilityZone")),
        ("private-ip-address", o => Vals(o, "PrivateIpAddress")),
        ("ip-address", o => Vals(o, "PublicIpAddress")),
        ("private-dns-name", o => Vals(o, "PrivateDnsName")),
        ("dns-name", o => Vals(o, "PublicDnsName")),
        ("key-name", o => Vals(o, "KeyName")),
        ("iam-instance-profile.arn", o => Vals(o, "IamInstanceProfile", "Arn")),
        ("iam-instance-profile.id", o => Vals(o, "IamInstanceProfile", "Id")),
        ("instance.group-id", o => Vals(o, "SecurityGroups", "GroupId")),
        ("instance.group-name", o => Vals(o, "SecurityGroups", "GroupName")),
        ("group-id", o => Vals(o, "SecurityGroups", "GroupId")),
        ("group-name", o => Vals(o, "SecurityGroups", "GroupName")),
        ("metadata-options.http-tokens", o => Vals(o, "MetadataOptions", "HttpTokens")),
        ("metadata-options.http-put-response-hop-limit", o => Vals(o, "MetadataOptions", "HttpPutResponseHopLimit")),
        ("metadata-options.http-endpoint", o => Vals(o, "MetadataOptions", "HttpEndpoint")),
        ("metadata-options.instance-metadata-tags", o => Vals(o, "MetadataOptions", "InstanceMetadataTags")),
        ("network-interface.network-interface-id", o => Vals(o, "NetworkInterfaces", "NetworkInterfaceId")),
        ("reservation-id", o => new[] { ReservationId(o) }),
        ("owner-id", o => Vals(o, "OwnerId")),
        ("launch-template.launch-template-id", o => Vals(o, "LaunchTemplate", "LaunchTemplateId")));

    private static readonly Dictionary<string, Extract> s_groupFilters = F(
        ("group-id", o => Vals(o, "GroupId")),
        ("group-name", o => Vals(o, "GroupName")),
        ("vpc-id", o => Vals(o, "VpcId")),
        ("owner-id", o => Vals(o, "OwnerId")),
        ("description", o => Vals(o, "Description")),
        ("ip-permission.cidr", o => Vals(o, "IpPermissions", "IpRanges", "CidrIp")),
        ("ip-permission.ipv6-cidr", o => Vals(o, "IpPermissions", "Ipv6Ranges", "CidrIpv6")),
        ("ip-permission.from-port", o => Vals(o, "IpPermissions", "FromPort")),
        ("ip-permission.to-port", o => Vals(o, "IpPermissions", "ToPort")),
        ("ip-permission.protocol", o => Vals(o, "IpPermissions", "IpProtocol")),
        ("ip-permission.group-id", o => Vals(o, "IpPermissions", "UserIdGroupPairs", "GroupId")),
        ("egress.ip-permission.cidr", o => Vals(o, "IpPermissionsEgress", "IpRanges", "CidrIp")),
        ("egress.ip-permission.protocol", o => Vals(o, "IpPermissionsEgress", "IpProtocol")));

    private static readonly Dictionary<string, Extract> s_ruleFilters = F(
        ("group-id", o => Vals(o, "GroupId")),
        ("security-group-rule-id", o => Vals(o, "SecurityGroupRuleId")));

    private static readonly Dictionary<string, Extract> s_subnetFilters = F(
        ("subnet-id", o => Vals(o, "SubnetId")),
        ("vpc-id", o => Vals(o, "VpcId")),
        ("availability-zone", o => Vals(o, "AvailabilityZone")),
        ("availability-zone-id", o => Vals(o, "AvailabilityZoneId")),
        ("cidr-block", o => Vals(o, "CidrBlock")),
        ("default-for-az", o => Vals(o, "DefaultForAz")),
        ("map-public-ip-on-launch", o => Vals(o, "MapPublicIpOnLaunch")),
        ("state", o => Vals(o, "State")),
        ("owner-id", o => Vals(o, "OwnerId")));

    private static readonly Dictionary<string, Extract> s_routeTableFilters = F(
        ("route-table-id", o => Vals(o, "RouteTableId")),
        ("vpc-id", o => Vals(o, "VpcId")),
        ("association.subnet-id", o => Vals(o, "Associations", "SubnetId")),
        ("association.main", o => Vals(o, "Associations", "Main")),
        ("route.gateway-id", o => Vals(o, "Routes", "GatewayId")),
        ("route.nat-gateway-id", o => Vals(o, "Routes", "NatGatewayId")),
        ("route.destination-cidr-block", o => Vals(o, "Routes", "DestinationCidrBlock")),
        ("owner-id", o => Vals(o, "OwnerId")));

    private static readonly Dictionary<string, Extract> s_flowLogFilters = F(
        ("flow-log-id", o => Vals(o, "FlowLogId")),
        ("resource-id", o => Vals(o, "ResourceId")),
        ("traffic-type", o => Vals(o, "TrafficType")),
        ("log-destination-type", o => Vals(o, "LogDestinationType")),
        ("log-group-name", o => Vals(o, "LogGroupName")),
        ("deliver-log-status", o => Vals(o, "DeliverLogsStatus")));

    private static readonly Dictionary<string, Extract> s_vpcEndpointFilters = F(
        ("vpc-endpoint-id", o => Vals(o, "VpcEndpointId")),
        ("vpc-id", o => Vals(o, "VpcId")),
        ("service-name", o => Vals(o, "ServiceName")),
        ("service-region", o => Vals(o, "ServiceRegion")),
        ("vpc-endpoint-state", o => Vals(o, "State")),
        ("vpc-endpoint-type", o => Vals(o, "VpcEndpointType")),
        ("ip-address-type", o => Vals(o, "IpAddressType")));

    private static readonly Dictionary<string, Extract> s_vpcFilters = F(
        ("vpc-id", o => Vals(o, "VpcId")),
        ("cidr", o => Vals(o, "CidrBlock")),
        ("is-default", o => Vals(o, "IsDefault")),
        ("state", o => Vals(o, "State")),
        ("owner-id", o => Vals(o, "OwnerId")));

    private static readonly Dictionary<string, Extract> s_launchTemplateFilters = F(
        ("launch-template-name", o => Vals(o, "LaunchTemplateName")),
        ("create-time", o => Vals(o, "CreateTime")));

    private static readonly Dictionary<string, Extract> s_launchTemplateVersionFilters = F(
        ("is-default-version", o => Vals(o, "DefaultVersion")),
        ("image-id", o => Vals(o, "LaunchTemplateData", "ImageId")),
        ("instance-type", o => Vals(o, "LaunchTemplateData", "InstanceType")),
        ("iam-instance-profile", o => Vals(o, "LaunchTemplateData", "IamInstanceProfile", "Arn")
            .Concat(Vals(o, "LaunchTemplateData", "IamInstanceProfile", "Name"))),
        ("metadata-options.http-tokens", o => Vals(o, "LaunchTemplateData", "MetadataOptions", "HttpTokens")),
        ("metadata-options.http-put-response-hop-limit", o => Vals(o, "LaunchTemplateData", "MetadataOptions", "HttpPutResponseHopLimit")),
        ("metadata-options.http-endpoint", o => Vals(o, "LaunchTemplateData", "MetadataOptions", "HttpEndpoint")));

    private static readonly Dictionary<string, Extract> s_volumeFilters = F(
        ("volume-id", o => Vals(o, "VolumeId")),
        ("status", o => Vals(o, "State")),
        ("encrypted", o => Vals(o, "Encrypted")),
        ("volume-type", o => Vals(o, "VolumeType")),
        ("size", o => Vals(o, "Size")),
        ("snapshot-id", o => Vals(o, "SnapshotId")),
        ("availability-zone", o => Vals(o, "AvailabilityZone")),
        ("kms-key-id", o => Vals(o, "KmsKeyId")),
        ("attachment.instance-id", o => Vals(o, "Attachments", "InstanceId")),
        ("attachment.status", o => Vals(o, "Attachments", "State")));

    public static readonly IReadOnlyDictionary<string, Func<CallContext, JsonObject>> Handlers =
        new Dictionary<string, Func<CallContext, JsonObject>>
        {
            ["DescribeInstances"] = DescribeInstances,
            ["DescribeLaunchTemplates"] = DescribeLaunchTemplates,
            ["DescribeLaunchTemplateVersions"] = DescribeLaunchTemplateVersions,
            ["DescribeSecurityGroups"] = c => Describe(c, "securityGroups", "SecurityGroups", "GroupIds", "GroupId", s_groupFilters,
                ids => new AwsErrorException("InvalidGroup.NotFound", 400, $"The security group '{ids[0]}' does not exist"),
                extraSelect: GroupNameSelect),
            ["DescribeSecurityGroupRules"] = DescribeSecurityGroupRules,
            ["DescribeSubnets"] = c => Describe(c, "subnets", "Subnets", "SubnetIds", "SubnetId", s_subnetFilters,
                ids => new AwsErrorException("InvalidSubnetID.NotFound", 400, $"The subnet ID '{string.Join(", ", ids)}' does not exist")),
            ["DescribeRouteTables"] = c => Describe(c, "routeTables", "RouteTables", "RouteTableIds", "RouteTableId", s_routeTableFilters,
                ids => new AwsErrorException("InvalidRouteTableID.NotFound", 400, $"The routeTable ID '{ids[0]}' does not exist"), maxResults: 100),
            // The query API names this operation's filter list "Filter", not "Filters"; unknown flow log ids are not an error.
            ["DescribeFlowLogs"] = c => Describe(c, "flowLogs", "FlowLogs", "FlowLogIds", "FlowLogId", s_flowLogFilters, notFound: null,
                filtersMember: "Filter", minResults: 1),
            ["DescribeVpcEndpoints"] = c => Describe(c, "vpcEndpoints", "VpcEndpoints", "VpcEndpointIds", "VpcEndpointId", s_vpcEndpointFilters,
                ids => new AwsErrorException("InvalidVpcEndpointId.NotFound", 400, $"The Vpc Endpoint Id '{ids[0]}' does not exist"), minResults: 1, maxResults: int.MaxValue),
            // The account's IMDS defaults in the region: ec2.instanceMetadataDefaults (absent: nothing set, as in a new account).
            ["GetInstanceMetadataDefaults"] = c => Obj(("AccountLevel",
                c.Scenario.AccountValue(c.Account, "ec2", "instanceMetadataDefaults") is JsonObject defaults ? defaults.CloneObj() : new JsonObject())),
            ["DescribeVpcs"] = c => Describe(c, "vpcs", "Vpcs", "VpcIds", "VpcId", s_vpcFilters,
                ids => new AwsErrorException("InvalidVpcID.NotFound", 400, $"The vpc ID '{ids[0]}' does not exist")),
            ["DescribeVolumes"] = c => Describe(c, "volumes", "Volumes", "VolumeIds", "VolumeId", s_volumeFilters,
                ids => new AwsErrorException("InvalidVolume.NotFound", 400, $"The volume '{ids[0]}' does not exist.")),
            // The account's setting in the region: ec2.ebsEncryptionByDefault (default false, as in a new account).
            ["GetEbsEncryptionByDefault"] = c => Obj(
                ("EbsEncryptionByDefault", JsonValue.Create(c.Scenario.AccountValue(c.Account, "ec2", "ebsEncryptionByDefault") is JsonValue v && (bool)v)),
                ("SseType", JsonValue.Create("sse-ebs"))),
        };

    private static List<(string Name, List<string> Values)> Filters(CallContext c, string member = "Filters") =>
        (c.Input[member] as JsonArray).Objects()
            .Select(f => (f.S("Name") ?? "", (f["Values"] as JsonArray ?? new JsonArray()).Select(v => WireFormat.ScalarText(v) ?? "").ToList()))
            .ToList();

    private static bool Matches(JsonObject item, List<(string Name, List<string> Values)> filters, Dictionary<string, Extract> known)
    {
        foreach (var (name, values) in filters)
        {
            IEnumerable<string?> candidates;
            if (name.StartsWith("tag:", StringComparison.Ordinal))
            {
                var key = name[4..];
                candidates = (item["Tags"] as JsonArray).Objects().Where(t => t.S("Key") == key).Select(t => t.S("Value") ?? "");
            }
            else if (name == "tag-key") candidates = Vals(item, "Tags", "Key");
            else if (name == "tag-value") candidates = Vals(item, "Tags", "Value");
            else if (known.TryGetValue(name, out var get)) candidates = get(item);
            else throw new AwsErrorException("InvalidParameterValue", 400, $"The filter '{name}' is invalid");
            var list = candidates.Where(x => x is not null).Select(x => x!).ToList();
            if (!list.Any(v => values.Any(p => Wildcard.IsMatch(p, v, ignoreCase: false)))) return false;
        }
        return true;
    }

    private static int? Ec2Limit(CallContext c, int min = 5, int max = 1000)
    {
        var value = c.Int("MaxResults");
        if (value is not null && (value < min || value > max))
            throw new AwsErrorException("InvalidParameterValue", 400, $"Value ( {value} ) for parameter maxResults is invalid. Expecting a value between {min} and {max}.");
        return value;
    }

    private static JsonObject WithOwner(CallContext c, JsonObject o)
    {
        var copy = o.CloneObj();
        copy["OwnerId"] ??= c.Account;
        return copy;
    }

    // ------------------------------------------------------------------ operations

    private static string ReservationId(JsonObject instance) =>
        instance.S("ReservationId") ?? "r-" + (instance.S("InstanceId") ?? "0").Replace("i-", "", StringComparison.Ordinal);

    private static JsonObject DescribeInstances(CallContext c)
    {
        var ids = c.StrList("InstanceIds");
        var limit = Ec2Limit(c);
        if (ids.Count > 0 && limit is not null)
            throw new AwsErrorException("InvalidParameterCombination", 400, "The parameter instancesSet cannot be used with the parameter maxResults");
        var all = c.Collection("instances").Objects().ToList();
        if (ids.Count > 0)
        {
            var missing = ids.Where(id => all.All(i => i.S("InstanceId") != id)).ToList();
            if (missing.Count == 1) throw new AwsErrorException("InvalidInstanceID.NotFound", 400, $"The instance ID '{missing[0]}' does not exist");
            if (missing.Count > 1) throw new AwsErrorException("InvalidInstanceID.NotFound", 400, $"The instance IDs '{string.Join(", ", missing)}' do not exist");
        }
        var filters = Filters(c);
        var matching = all.Where(i => (ids.Count == 0 || ids.Contains(i.S("InstanceId")!)) && Matches(i, filters, s_instanceFilters)).ToList();
        var (page, next) = c.Page(matching, c.Str("NextToken"), limit, int.MaxValue);
        var reservations = new JsonArray();
        foreach (var group in page.GroupBy(ReservationId))
        {
            var instances = new JsonArray();
            foreach (var i in group)
            {
                var copy = i.CloneObj();
                copy.Remove("ReservationId");
                instances.Add(copy);
            }
            reservations.Add(Obj(
                ("ReservationId", JsonValue.Create(group.Key)),
                ("OwnerId", JsonValue.Create(group.First().S("OwnerId") ?? c.Account)),
                ("Groups", new JsonArray()),
                ("Instances", instances)));
        }
        return Obj(("Reservations", reservations), ("NextToken", next));
    }

    private static JsonObject Describe(CallContext c, string collection, string outputMember, string idsMember, string idKey,
        Dictionary<string, Extract> filters, Func<List<string>, AwsErrorException>? notFound, Func<CallContext, JsonObject, bool>? extraSelect = null,
        string filtersMember = "Filters", int minResults = 5, int maxResults = 1000)
    {
        var ids = c.StrList(idsMember);
        var limit = Ec2Limit(c, minResults, maxResults);
        var all = c.Collection(collection).Objects().ToList();
        var missing = ids.Where(id => all.All(o => o.S(idKey) != id)).ToList();
        if (missing.Count > 0 && notFound is not null) throw notFound(missing);
        var f = Filters(c, filtersMember);
        var matching = all
            .Where(o => (ids.Count == 0 || ids.Contains(o.S(idKey)!)) && (extraSelect?.Invoke(c, o) ?? true) && Matches(o, f, filters))
            .Select(o => WithOwner(c, o))
            .ToList();
        var (page, next) = c.Page(matching, c.Str("NextToken"), limit, int.MaxValue);
        return Obj((outputMember, Arr(page)), ("NextToken", next));
    }

    private static bool GroupNameSelect(CallContext c, JsonObject group)
    {
        var names = c.StrList("GroupNames");
        if (names.Count == 0) return true;
        var all = c.Collection("securityGroups").Objects().Select(g => g.S("GroupName")).ToHashSet();
        var missing = names.FirstOrDefault(n => !all.Contains(n));
        if (missing is not null)
            throw new AwsErrorException("InvalidGroup.NotFound", 400, $"The security group '{missing}' does not exist in default VPC");
        return names.Contains(group.S("GroupName")!);
    }

    /// <summary>The scenario's securityGroupRules, or rules derived from each group's IpPermissions(Egress).</summary>
    private static List<JsonObject> SecurityGroupRules(CallContext c)
    {
        var explicitRules = c.Collection("securityGroupRules").Objects().ToList();
        if (explicitRules.Count > 0) return explicitRules.Select(r => { var o = r.CloneObj(); o["GroupOwnerId"] ??= c.Account; return o; }).ToList();
        var rules = new List<JsonObject>();
        foreach (var group in c.Collection("securityGroups").Objects())
        {
            var groupId = group.S("GroupId")!;
            foreach (var (member, egress) in new[] { ("IpPermissions", false), ("IpPermissionsEgress", true) })
            {
                var index = 0;
                foreach (var perm in (group[member] as JsonArray).Objects())
                {
                    var targets = new List<(string Key, JsonNode Value, string? Description)>();
                    foreach (var r in (perm["IpRanges"] as JsonArray).Objects()) targets.Add(("CidrIpv4", JsonValue.Create(r.S("CidrIp"))!, r.S("Description")));
                    foreach (var r in (perm["Ipv6Ranges"] as JsonArray).Objects()) targets.Add(("CidrIpv6", JsonValue.Create(r.S("CidrIpv6"))!, r.S("Description")));
                    foreach (var r in (perm["PrefixListIds"] as JsonArray).Objects()) targets.Add(("PrefixListId", JsonValue.Create(r.S("PrefixListId"))!, r.S("Description")));
                    foreach (var r in (perm["UserIdGroupPairs"] as JsonArray).Objects())
                        targets.Add(("ReferencedGroupInfo", Obj(("GroupId", JsonValue.Create(r.S("GroupId"))), ("UserId", JsonValue.Create(r.S("UserId") ?? c.Account)), ("VpcId", r["VpcId"]?.DeepClone())), r.S("Description")));
                    foreach (var (key, value, description) in targets)
                    {
                        var id = "sgr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{groupId}|{egress}|{index++}")))[..17];
                        rules.Add(Obj(
                            ("SecurityGroupRuleId", JsonValue.Create(id)),
                            ("GroupId", JsonValue.Create(groupId)),
                            ("GroupOwnerId", JsonValue.Create(group.S("OwnerId") ?? c.Account)),
                            ("IsEgress", JsonValue.Create(egress)),
                            ("IpProtocol", perm["IpProtocol"]?.DeepClone()),
                            ("FromPort", perm["FromPort"]?.DeepClone() ?? JsonValue.Create(-1)),
                            ("ToPort", perm["ToPort"]?.DeepClone() ?? JsonValue.Create(-1)),
                            (key, value),
                            ("Description", description is null ? null : JsonValue.Create(description)),
                            ("SecurityGroupRuleArn", JsonValue.Create($"arn:aws:ec2:{c.Region}:{c.Account}:security-group-rule/{id}")),
                            ("Tags", new JsonArray())));
                    }
                }
            }
        }
        return rules;
    }

    private static JsonObject DescribeSecurityGroupRules(CallContext c)
    {
        var ids = c.StrList("SecurityGroupRuleIds");
        var limit = Ec2Limit(c, 10, 1000);
        var all = SecurityGroupRules(c);
        var missing = ids.Where(id => all.All(r => r.S("SecurityGroupRuleId") != id)).ToList();
        if (missing.Count > 0)
            throw new AwsErrorException("InvalidSecurityGroupRuleId.NotFound", 400, $"The security group rule ID '{missing[0]}' does not exist");
        var f = Filters(c);
        var matching = all.Where(r => (ids.Count == 0 || ids.Contains(r.S("SecurityGroupRuleId")!)) && Matches(r, f, s_ruleFilters)).ToList();
        var (page, next) = c.Page(matching, c.Str("NextToken"), limit, int.MaxValue);
        return Obj(("SecurityGroupRules", Arr(page)), ("NextToken", next));
    }

    private static List<JsonObject> LaunchTemplates(CallContext c) => c.Collection("launchTemplates").Objects().ToList();

    private static JsonObject TemplateOut(JsonObject t)
    {
        var o = t.CloneObj();
        var versions = (t["Versions"] as JsonArray).Objects().ToList();
        o.Remove("Versions");
        o["DefaultVersionNumber"] ??= versions.FirstOrDefault(v => v["DefaultVersion"] is JsonValue d && (bool)d)?["VersionNumber"]?.DeepClone() ?? JsonValue.Create(1);
        o["LatestVersionNumber"] ??= versions.Count == 0 ? 1 : versions.Max(v => (long?)v["VersionNumber"] ?? 1);
        return o;
    }

    private static JsonObject DescribeLaunchTemplates(CallContext c)
    {
        var ids = c.StrList("LaunchTemplateIds");
        var names = c.StrList("LaunchTemplateNames");
        var all = LaunchTemplates(c);
        var missingId = ids.FirstOrDefault(id => all.All(t => t.S("LaunchTemplateId") != id));
        if (missingId is not null)
            throw new AwsErrorException("InvalidLaunchTemplateId.NotFound", 400, $"The specified launch template, with template ID {missingId}, does not exist.");
        if (names.Any(n => all.All(t => t.S("LaunchTemplateName") != n)))
            throw new AwsErrorException("InvalidLaunchTemplateName.NotFoundException", 400, "At least one of the launch templates specified in the request does not exist.");
        var f = Filters(c);
        var matching = all.Where(t => (ids.Count == 0 || ids.Contains(t.S("LaunchTemplateId")!))
                                      && (names.Count == 0 || names.Contains(t.S("LaunchTemplateName")!))
                                      && Matches(t, f, s_launchTemplateFilters))
            .Select(TemplateOut).ToList();
        var (page, next) = c.Page(matching, c.Str("NextToken"), Ec2Limit(c, 1, 200), int.MaxValue);
        return Obj(("LaunchTemplates", Arr(page)), ("NextToken", next));
    }

    private static JsonObject DescribeLaunchTemplateVersions(CallContext c)
    {
        var id = c.Str("LaunchTemplateId");
        var name = c.Str("LaunchTemplateName");
        var all = LaunchTemplates(c);
        List<JsonObject> templates;
        if (id is not null)
        {
            templates = all.Where(t => t.S("LaunchTemplateId") == id).ToList();
            if (templates.Count == 0)
                throw new AwsErrorException("InvalidLaunchTemplateId.NotFound", 400, $"The specified launch template, with template ID {id}, does not exist.");
        }
        else if (name is not null)
        {
            templates = all.Where(t => t.S("LaunchTemplateName") == name).ToList();
            if (templates.Count == 0)
                throw new AwsErrorException("InvalidLaunchTemplateName.NotFoundException", 400, "At least one of the launch templates specified in the request does not exist.");
        }
        else templates = all;

        var requested = c.StrList("Versions");
        if (id is null && name is null && requested.Any(v => v != "$Latest" && v != "$Default"))
            throw new AwsErrorException("InvalidParameterValue", 400, "Versions other than $Latest and $Default require a launch template ID or name.");
        long? min = long.TryParse(c.Str("MinVersion"), out var mn) ? mn : null;
        long? max = long.TryParse(c.Str("MaxVersion"), out var mx) ? mx : null;
        var f = Filters(c);
        var result = new List<JsonObject>();
        foreach (var t in templates)
        {
            var info = TemplateOut(t);
            var defaultNumber = (long?)info["DefaultVersionNumber"] ?? 1;
            var latestNumber = (long?)info["LatestVersionNumber"] ?? 1;
            var versions = (t["Versions"] as JsonArray).Objects().ToList();
            foreach (var want in requested)
            {
                var number = want == "$Latest" ? latestNumber : want == "$Default" ? defaultNumber : long.TryParse(want, out var n) ? n : -1;
                if (versions.All(v => (long?)v["VersionNumber"] != number))
                    throw new AwsErrorException("InvalidLaunchTemplateId.VersionNotFound", 400,
                        $"Could not find launch template version {want} for launch template {t.S("LaunchTemplateId")}.");
            }
            foreach (var v in versions)
            {
                var number = (long?)v["VersionNumber"] ?? 1;
                if (requested.Count > 0 && !requested.Any(w => (w == "$Latest" && number == latestNumber) || (w == "$Default" && number == defaultNumber) || w == number.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    continue;
                if ((min is not null && number < min) || (max is not null && number > max)) continue;
                var o = v.CloneObj();
                o["LaunchTemplateId"] ??= t.S("LaunchTemplateId");
                o["LaunchTemplateName"] ??= t.S("LaunchTemplateName");
                o["DefaultVersion"] ??= number == defaultNumber;
                o["CreatedBy"] ??= t.S("CreatedBy");
                if (Matches(o, f, s_launchTemplateVersionFilters)) result.Add(o);
            }
        }
        var (page, next) = c.Page(result, c.Str("NextToken"), Ec2Limit(c, 1, 200), int.MaxValue);
        return Obj(("LaunchTemplateVersions", Arr(page)), ("NextToken", next));
    }
}
