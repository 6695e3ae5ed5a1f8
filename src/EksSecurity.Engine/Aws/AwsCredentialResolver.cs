using System.Reflection;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace EksSecurity.Engine.Aws;

/// <summary>Credentials and region, resolved; the source strings never hold a secret.</summary>
public sealed class AwsAccess
{
    public required AWSCredentials Credentials { get; init; }
    public required string Region { get; init; }
    public required AwsAccessInfo Info { get; init; }
    public string? EndpointUrl { get; init; }
    public int ThrottleLimit { get; init; } = 8;
}

/// <summary>
/// Resolves credentials and region in the order AWS Tools for PowerShell uses, so a script that
/// works with Get-EKSCluster works with our cmdlets unchanged.
/// </summary>
public static class AwsCredentialResolver
{
    public const string ErrorNoCredentials = "AwsCredentialsNotFound";
    public const string ErrorNoRegion = "AwsRegionNotFound";
    public const string ErrorProfileNotFound = "AwsProfileNotFound";

    public static AwsAccess Resolve(AwsAccessRequest request, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var (credentials, credentialSource, profileRegion) = ResolveCredentials(request, environment);
        var (region, regionSource) = ResolveRegion(request, environment, profileRegion);
        string? accessKeyId = null;
        if (credentials is BasicAWSCredentials or SessionAWSCredentials or ForeignAwsCredentials)
        {
            try { accessKeyId = credentials.GetCredentials().AccessKey; } catch (Exception) { /* shown as unknown */ }
        }
        return new AwsAccess
        {
            Credentials = credentials,
            Region = region,
            EndpointUrl = request.EndpointUrl,
            ThrottleLimit = request.ThrottleLimit > 0 ? request.ThrottleLimit : 8,
            Info = new AwsAccessInfo { CredentialSource = credentialSource, AccessKeyId = accessKeyId, Region = region, RegionSource = regionSource },
        };
    }

    private static (AWSCredentials Credentials, string Source, string? ProfileRegion) ResolveCredentials(AwsAccessRequest r, Func<string, string?> env)
    {
        // 1. Explicit keys.
        if (!string.IsNullOrEmpty(r.AccessKey) || !string.IsNullOrEmpty(r.SecretKey))
        {
            if (string.IsNullOrEmpty(r.AccessKey) || string.IsNullOrEmpty(r.SecretKey))
                throw new EksSecurityException(ErrorNoCredentials, EksErrorKind.InvalidArgument,
                    "-AccessKey and -SecretKey must be given together.");
            return (string.IsNullOrEmpty(r.SessionToken)
                ? new BasicAWSCredentials(r.AccessKey, r.SecretKey)
                : new SessionAWSCredentials(r.AccessKey, r.SecretKey, r.SessionToken), "the -AccessKey/-SecretKey parameters", null);
        }
        // 2. -Credential.
        if (r.Credential is not null)
            return (FromObject(r.Credential, "-Credential"), "the -Credential parameter", null);
        // 3. -ProfileName.
        if (!string.IsNullOrEmpty(r.ProfileName))
        {
            var (creds, region) = FromProfile(r.ProfileName, r.ProfileLocation, required: true)!.Value;
            return (creds, $"profile '{r.ProfileName}'" + (r.ProfileLocation is null ? "" : $" in '{r.ProfileLocation}'"), region);
        }
        // 4. The session's $StoredAWSCredentials (Set-AWSCredential).
        if (r.StoredCredentials is not null)
        {
            if (r.StoredCredentials is string storedProfile)
            {
                var (creds, region) = FromProfile(storedProfile, r.ProfileLocation, required: true)!.Value;
                return (creds, $"profile '{storedProfile}' named by $StoredAWSCredentials", region);
            }
            return (FromObject(r.StoredCredentials, "$StoredAWSCredentials"), "$StoredAWSCredentials (Set-AWSCredential)", null);
        }
        // 5. Environment variables.
        var envKey = env("AWS_ACCESS_KEY_ID");
        var envSecret = env("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(envKey) && !string.IsNullOrEmpty(envSecret))
        {
            var token = env("AWS_SESSION_TOKEN");
            return (string.IsNullOrEmpty(token) ? new BasicAWSCredentials(envKey, envSecret) : new SessionAWSCredentials(envKey, envSecret, token),
                "the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables", null);
        }
        // 6. AWS_PROFILE, then 7. the default profile.
        var envProfile = env("AWS_PROFILE");
        if (!string.IsNullOrEmpty(envProfile))
        {
            var (creds, region) = FromProfile(envProfile, r.ProfileLocation, required: true)!.Value;
            return (creds, $"profile '{envProfile}' named by AWS_PROFILE", region);
        }
        if (FromProfile("default", r.ProfileLocation, required: false) is { } fromDefault)
            return (fromDefault.Credentials, "the default profile", fromDefault.Region);
        // 8. Web identity (IRSA when running in a pod).
        if (!string.IsNullOrEmpty(env("AWS_WEB_IDENTITY_TOKEN_FILE")) && !string.IsNullOrEmpty(env("AWS_ROLE_ARN")))
            return (AssumeRoleWithWebIdentityCredentials.FromEnvironmentVariables(), $"web identity (role {env("AWS_ROLE_ARN")})", null);
        // 9. Container credentials (ECS, EKS Pod Identity).
        if (!string.IsNullOrEmpty(env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) || !string.IsNullOrEmpty(env("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
            return (new GenericContainerCredentials(), "container credentials (ECS task role or EKS Pod Identity)", null);
        // 10. Instance metadata, unless disabled.
        if (!string.Equals(env("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var instance = new InstanceProfileAWSCredentials();
                instance.GetCredentials();
                return (instance, "the EC2 instance profile (instance metadata)", null);
            }
            catch (Exception)
            {
                // Not on EC2, or no role: fall through to the error AWS Tools gives.
            }
        }
        throw new EksSecurityException(ErrorNoCredentials, EksErrorKind.InvalidArgument,
            "No credentials specified or obtained from persisted/shell defaults.");
    }

    private static (string Region, string Source) ResolveRegion(AwsAccessRequest r, Func<string, string?> env, string? profileRegion)
    {
        if (!string.IsNullOrWhiteSpace(r.Region)) return (r.Region, "the -Region parameter");
        if (!string.IsNullOrWhiteSpace(r.ArnRegion)) return (r.ArnRegion, "the cluster ARN");
        if (!string.IsNullOrWhiteSpace(r.StoredRegion)) return (r.StoredRegion, "$StoredAWSRegion (Set-DefaultAWSRegion)");
        if (env("AWS_REGION") is { Length: > 0 } region) return (region, "the AWS_REGION environment variable");
        if (env("AWS_DEFAULT_REGION") is { Length: > 0 } defaultRegion) return (defaultRegion, "the AWS_DEFAULT_REGION environment variable");
        if (!string.IsNullOrWhiteSpace(profileRegion)) return (profileRegion, "the credential profile");
        var profileName = r.ProfileName ?? env("AWS_PROFILE") ?? "default";
        if (new CredentialProfileStoreChain(r.ProfileLocation).TryGetProfile(profileName, out var profile) && profile.Region is { } pr)
            return (pr.SystemName, $"profile '{profileName}'");
        throw new EksSecurityException(ErrorNoRegion, EksErrorKind.InvalidArgument,
            "No region specified or obtained from persisted/shell defaults.");
    }

    private static (AWSCredentials Credentials, string? Region)? FromProfile(string name, string? location, bool required)
    {
        var chain = new CredentialProfileStoreChain(location);
        if (chain.TryGetProfile(name, out var profile) && chain.TryGetAWSCredentials(name, out var credentials))
            return (credentials, profile.Region?.SystemName);
        if (!required) return null;
        throw new EksSecurityException(ErrorProfileNotFound, EksErrorKind.ObjectNotFound,
            $"Credential profile '{name}' was not found or holds no usable credentials" + (location is null ? "." : $" in '{location}'."), name);
    }

    /// <summary>An AWS Tools credentials object lives in another load context: use it by shape.</summary>
    private static AWSCredentials FromObject(object value, string what)
    {
        if (value is AWSCredentials own) return own;
        var target = value.GetType().GetProperty("BaseObject")?.GetValue(value) ?? value;
        // Set-AWSCredential stores a wrapper whose Credentials property holds the AWSCredentials.
        if (target.GetType().GetMethod("GetCredentials", Type.EmptyTypes) is null &&
            target.GetType().GetProperty("Credentials")?.GetValue(target) is { } inner)
            target = inner;
        var getCredentials = target.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        if (getCredentials is null)
            throw new EksSecurityException(ErrorNoCredentials, EksErrorKind.InvalidArgument,
                $"{what} is a {target.GetType().FullName}, not AWS credentials (no GetCredentials method).");
        return new ForeignAwsCredentials(target, getCredentials);
    }
}

/// <summary>Credentials from another copy of AWSSDK.Core, asked again on every use so refreshing credentials keep working.</summary>
internal sealed class ForeignAwsCredentials(object source, MethodInfo getCredentials) : AWSCredentials
{
    public override ImmutableCredentials GetCredentials()
    {
        var immutable = getCredentials.Invoke(source, null)
            ?? throw new EksSecurityException(AwsCredentialResolver.ErrorNoCredentials, EksErrorKind.InvalidArgument, "The credentials object returned no credentials.");
        string? Read(string name) => immutable.GetType().GetProperty(name)?.GetValue(immutable) as string;
        var accessKey = Read("AccessKey");
        var secretKey = Read("SecretKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            throw new EksSecurityException(AwsCredentialResolver.ErrorNoCredentials, EksErrorKind.InvalidArgument, "The credentials object has no access key.");
        return new ImmutableCredentials(accessKey, secretKey, Read("Token"));
    }

    public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromResult(GetCredentials());
}
