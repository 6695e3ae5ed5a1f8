using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Tests;

/// <summary>The scenario the tests serve: written to a file and loaded as a user would.</summary>
internal static class TestScenario
{
    public const string Region = "us-west-2";
    public const string Account = "111122223333";
    public const string AdminKey = "AKIAADMINEXAMPLE0001";
    public const string AdminSecret = "admin/Secret+Key/EXAMPLE0000000000000001";
    public const string AdminArn = "arn:aws:iam::111122223333:user/admin";
    public const string AuditorKey = "AKIAAUDITOREXAMPLE01";
    public const string AuditorSecret = "auditorSecretKeyEXAMPLE00000000000000001";
    public const string AuditorArn = "arn:aws:iam::111122223333:user/auditor";
    public const string SessionKey = "ASIASESSIONEXAMPLE01";
    public const string SessionSecret = "sessionSecretKeyEXAMPLE00000000000000001";
    public const string SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE//session+token==";
    public const string SessionArn = "arn:aws:sts::111122223333:assumed-role/admins/alice";
    public const string ExpiredKey = "ASIAEXPIREDEXAMPLE01";
    public const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    public const int ExtraClusters = 6;

    public static string Json()
    {
        var clusters = new JsonArray { Prod() };
        for (var i = 1; i <= ExtraClusters; i++)
            clusters.Add(new JsonObject { ["name"] = $"c{i:00}", ["version"] = "1.33", ["status"] = "ACTIVE", ["createdAt"] = "2025-06-01T00:00:00Z" });
        var root = JsonNode.Parse($$"""
        {
          "region": "{{Region}}",
          "pageSizes": { "eks:ListClusters": 2, "iam:ListAttachedRolePolicies": 2, "ec2:DescribeInstances": 2 },
          "credentials": [
            { "accessKeyId": "{{AdminKey}}", "secretAccessKey": "{{AdminSecret}}", "arn": "{{AdminArn}}" },
            { "accessKeyId": "{{AuditorKey}}", "secretAccessKey": "{{AuditorSecret}}", "arn": "{{AuditorArn}}",
              "allow": ["eks:Describe*", "iam:Get*", "sts:*"] },
            { "accessKeyId": "{{SessionKey}}", "secretAccessKey": "{{SessionSecret}}", "sessionToken": "{{SessionToken}}",
              "arn": "{{SessionArn}}", "userId": "AROAEXAMPLEADMINS001:alice", "expiration": "2999-01-01T00:00:00Z" },
            { "accessKeyId": "{{ExpiredKey}}", "secretAccessKey": "expired", "sessionToken": "expired-token",
              "arn": "arn:aws:sts::111122223333:assumed-role/admins/old", "expiration": "2020-01-01T00:00:00Z" }
          ],
          "awsManagedPolicies": [
            { "PolicyName": "AmazonEKSClusterPolicy", "Arn": "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "PolicyId": "ANPAIBTLDQMIXLJMFTEIC",
              "CreateDate": "2018-05-27T21:06:14Z", "UpdateDate": "2024-04-17T00:00:00Z", "AttachmentCount": 1, "DefaultVersionId": "v1",
              "PolicyVersionList": [ { "VersionId": "v1", "CreateDate": "2018-05-27T21:06:14Z",
                "Document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": ["ec2:DescribeInstances", "kms:DescribeKey"], "Resource": "*" } ] } } ] }
          ],
          "accounts": {
            "{{Account}}": {
              "eks": { "clusters": [] },
              "iam": {
                "roles": [
                  { "RoleName": "eks-cluster-role", "RoleId": "AROAEXAMPLECLUSTER01", "Path": "/", "Arn": "arn:aws:iam::{{Account}}:role/eks-cluster-role",
                    "CreateDate": "2024-03-01T09:00:00Z", "MaxSessionDuration": 7200, "Description": "EKS cluster role",
                    "PermissionsBoundary": { "PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::{{Account}}:policy/boundary" },
                    "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [
                      { "Effect": "Allow", "Principal": { "Service": "eks.amazonaws.com" }, "Action": "sts:AssumeRole" } ] },
                    "AttachedManagedPolicies": [ "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController",
                                                 "arn:aws:iam::{{Account}}:policy/boundary", "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
                                                 "arn:aws:iam::{{Account}}:policy/extra" ],
                    "RolePolicyList": [ { "PolicyName": "inline-s3", "PolicyDocument": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*" } ] } } ],
                    "Tags": [ { "Key": "team", "Value": "platform" } ] },
                  { "RoleName": "admins", "RoleId": "AROAEXAMPLEADMINS001", "CreateDate": "2024-01-01T00:00:00Z", "MaxSessionDuration": 3600,
                    "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [
                      { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::{{Account}}:root" }, "Action": "sts:AssumeRole" } ] },
                    "allow": ["eks:*", "sts:*"] }
                ],
                "policies": [
                  { "PolicyName": "boundary", "Arn": "arn:aws:iam::{{Account}}:policy/boundary", "PolicyId": "ANPAEXAMPLEBOUNDARY1", "DefaultVersionId": "v2",
                    "CreateDate": "2024-01-01T00:00:00Z", "UpdateDate": "2024-02-01T00:00:00Z", "AttachmentCount": 1,
                    "PolicyVersionList": [
                      { "VersionId": "v1", "CreateDate": "2024-01-01T00:00:00Z", "Document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "*", "Resource": "*" } ] } },
                      { "VersionId": "v2", "CreateDate": "2024-02-01T00:00:00Z", "Document": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"eks:*\",\"Resource\":\"*\"}]}" } ] }
                ],
                "users": [
                  { "UserName": "admin", "UserId": "AIDAEXAMPLEADMIN0001", "Arn": "{{AdminArn}}", "CreateDate": "2023-01-01T00:00:00Z",
                    "MFADevices": [ { "SerialNumber": "arn:aws:iam::{{Account}}:mfa/admin", "EnableDate": "2023-01-02T00:00:00Z" } ],
                    "LoginProfile": { "CreateDate": "2023-01-01T00:00:00Z", "PasswordResetRequired": false },
                    "AccessKeyMetadata": [ { "AccessKeyId": "{{AdminKey}}", "Status": "Active", "CreateDate": "2023-01-01T00:00:00Z",
                      "AccessKeyLastUsed": { "LastUsedDate": "2025-01-01T00:00:00Z", "ServiceName": "eks", "Region": "{{Region}}" } } ] }
                ],
                "openIdConnectProviders": [
                  { "Arn": "arn:aws:iam::{{Account}}:oidc-provider/oidc.eks.{{Region}}.amazonaws.com/id/EXAMPLE0123", "Url": "oidc.eks.{{Region}}.amazonaws.com/id/EXAMPLE0123",
                    "ClientIDList": ["sts.amazonaws.com"], "ThumbprintList": ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"], "CreateDate": "2024-03-01T10:30:00Z" }
                ],
                "accountSummary": { "Users": 1, "Roles": 2, "AccountMFAEnabled": 1 }
              },
              "ec2": {
                "instances": [
                  { "InstanceId": "i-0000000000000000a", "InstanceType": "m5.large", "State": { "Code": 16, "Name": "running" },
                    "PublicIpAddress": "54.1.2.3", "PrivateIpAddress": "10.0.1.10", "LaunchTime": "2024-03-01T11:05:00Z",
                    "SecurityGroups": [ { "GroupId": "sg-0node", "GroupName": "eks-node" } ],
                    "MetadataOptions": { "State": "applied", "HttpTokens": "optional", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled" },
                    "Tags": [ { "Key": "eks:cluster-name", "Value": "prod" }, { "Key": "Name", "Value": "prod-node-a" } ] },
                  { "InstanceId": "i-0000000000000000b", "InstanceType": "m5.large", "State": { "Code": 16, "Name": "running" },
                    "PrivateIpAddress": "10.0.1.11", "LaunchTime": "2024-03-01T11:05:00Z",
                    "MetadataOptions": { "State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled" },
                    "Tags": [ { "Key": "eks:cluster-name", "Value": "prod" }, { "Key": "Name", "Value": "prod-node-b" } ] },
                  { "InstanceId": "i-0000000000000000c", "InstanceType": "t3.small", "State": { "Code": 16, "Name": "running" },
                    "PrivateIpAddress": "10.0.1.12", "LaunchTime": "2024-03-01T11:05:00Z",
                    "MetadataOptions": { "State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled" },
                    "Tags": [ { "Key": "eks:cluster-name", "Value": "prod" }, { "Key": "Name", "Value": "prod-node-c" } ] },
                  { "InstanceId": "i-0000000000000000d", "InstanceType": "t3.small", "State": { "Code": 80, "Name": "stopped" },
                    "LaunchTime": "2024-03-01T11:05:00Z", "Tags": [ { "Key": "Name", "Value": "bastion" } ] }
                ],
                "launchTemplates": [
                  { "LaunchTemplateId": "lt-0123456789abcdef0", "LaunchTemplateName": "ng-1-lt", "CreateTime": "2024-03-01T10:00:00Z",
                    "CreatedBy": "{{AdminArn}}", "DefaultVersionNumber": 1,
                    "Versions": [
                      { "VersionNumber": 1, "CreateTime": "2024-03-01T10:00:00Z", "LaunchTemplateData": { "MetadataOptions": { "HttpTokens": "optional", "HttpPutResponseHopLimit": 2 } } },
                      { "VersionNumber": 2, "CreateTime": "2024-04-01T10:00:00Z", "LaunchTemplateData": { "MetadataOptions": { "HttpTokens": "required", "HttpPutResponseHopLimit": 1 } } } ] }
                ],
                "securityGroups": [
                  { "GroupId": "sg-0cluster", "GroupName": "eks-cluster-sg-prod", "Description": "EKS created security group", "VpcId": "vpc-0abc",
                    "IpPermissions": [ { "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [ { "CidrIp": "0.0.0.0/0", "Description": "api" } ] } ],
                    "IpPermissionsEgress": [ { "IpProtocol": "-1", "IpRanges": [ { "CidrIp": "0.0.0.0/0" } ] } ],
                    "Tags": [ { "Key": "aws:eks:cluster-name", "Value": "prod" } ] }
                ],
                "subnets": [ { "SubnetId": "subnet-0a1b2c3d", "VpcId": "vpc-0abc", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "{{Region}}a", "MapPublicIpOnLaunch": true } ]
              },
              "kms": {
                "keys": [
                  { "KeyMetadata": { "KeyId": "{{KeyId}}", "Description": "EKS secrets", "CreationDate": "2024-03-01T09:30:00Z", "KeyState": "Enabled" },
                    "KeyRotationEnabled": true, "RotationPeriodInDays": 365, "Aliases": ["alias/eks-prod"],
                    "Policy": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::{{Account}}:root" }, "Action": "kms:*", "Resource": "*" } ] } }
                ]
              }
            }
          }
        }
        """)!;
        root["accounts"]![Account]!["eks"]!["clusters"] = clusters;
        return root.ToJsonString();
    }

    /// <summary>A DescribeCluster "cluster" object with its children nested.</summary>
    public static JsonObject Prod() => JsonNode.Parse($$"""
        { "name": "prod", "arn": "arn:aws:eks:{{Region}}:{{Account}}:cluster/prod", "createdAt": "2024-03-01T10:00:00Z",
          "version": "1.29", "platformVersion": "eks.30", "status": "ACTIVE",
          "endpoint": "https://ABCDEF0123456789.gr7.{{Region}}.eks.amazonaws.com",
          "roleArn": "arn:aws:iam::{{Account}}:role/eks-cluster-role",
          "resourcesVpcConfig": { "subnetIds": ["subnet-0a1b2c3d"], "securityGroupIds": [], "clusterSecurityGroupId": "sg-0cluster", "vpcId": "vpc-0abc",
            "endpointPublicAccess": true, "endpointPrivateAccess": false, "publicAccessCidrs": ["0.0.0.0/0"] },
          "kubernetesNetworkConfig": { "serviceIpv4Cidr": "10.100.0.0/16", "ipFamily": "ipv4" },
          "logging": { "clusterLogging": [ { "types": ["api", "audit"], "enabled": true }, { "types": ["authenticator"], "enabled": false } ] },
          "identity": { "oidc": { "issuer": "https://oidc.eks.{{Region}}.amazonaws.com/id/EXAMPLE0123" } },
          "certificateAuthority": { "data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" },
          "encryptionConfig": [ { "resources": ["secrets"], "provider": { "keyArn": "arn:aws:kms:{{Region}}:{{Account}}:key/{{KeyId}}" } } ],
          "accessConfig": { "authenticationMode": "API_AND_CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": true },
          "upgradePolicy": { "supportType": "EXTENDED" },
          "tags": { "env": "prod", "team": "platform" },
          "nodegroups": [ { "nodegroupName": "ng-1", "status": "ACTIVE", "nodeRole": "arn:aws:iam::{{Account}}:role/eks-node-role",
            "scalingConfig": { "minSize": 1, "maxSize": 3, "desiredSize": 2 }, "launchTemplate": { "name": "ng-1-lt", "version": "2", "id": "lt-0123456789abcdef0" } } ],
          "addons": [ { "addonName": "vpc-cni", "addonVersion": "v1.18.1-eksbuild.1", "status": "ACTIVE" } ],
          "accessEntries": [ { "principalArn": "arn:aws:iam::{{Account}}:role/admins", "type": "STANDARD", "kubernetesGroups": [],
            "associatedAccessPolicies": [ { "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
              "accessScope": { "type": "cluster" }, "associatedAt": "2024-03-01T12:00:00Z", "modifiedAt": "2024-03-01T12:00:00Z" } ] } ],
          "podIdentityAssociations": [ { "associationId": "a-abcdefghijklmnop1", "namespace": "default", "serviceAccount": "app",
            "roleArn": "arn:aws:iam::{{Account}}:role/app-role", "associationArn": "arn:aws:eks:{{Region}}:{{Account}}:podidentityassociation/prod/a-abcdefghijklmnop1" } ],
          "fargateProfiles": [ { "fargateProfileName": "fp-default", "podExecutionRoleArn": "arn:aws:iam::{{Account}}:role/fargate", "status": "ACTIVE",
            "selectors": [ { "namespace": "serverless" } ] } ],
          "identityProviderConfigs": [ { "identityProviderConfigName": "corp-oidc", "issuerUrl": "https://login.example.com", "clientId": "kubernetes", "status": "ACTIVE" } ]
        }
        """)!.AsObject();

    /// <summary>Writes the scenario to a temporary file and starts a server from it.</summary>
    public static AwsTestServer StartServer(Action<JsonObject>? edit = null)
    {
        var root = JsonNode.Parse(Json())!.AsObject();
        edit?.Invoke(root);
        var path = Path.Combine(Path.GetTempPath(), $"aws-scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        try
        {
            var server = AwsTestServer.FromFile(path);
            server.Start();
            return server;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
