using System.Text.Json.Nodes;

namespace EksSecurity.AwsTestServer.Protocols;

/// <summary>
/// An AWS error the server answers with: the error code (as the wire carries it), the HTTP
/// status and the message; <see cref="Extra"/> holds additional members some rest-json
/// errors carry (EKS's clusterName, nodegroupName, …).
/// </summary>
public sealed class AwsErrorException : Exception
{
    public AwsErrorException(string code, int status, string message, JsonObject? extra = null)
        : base(message)
    {
        Code = code;
        Status = status;
        Extra = extra;
    }

    public string Code { get; }
    public int Status { get; }
    public JsonObject? Extra { get; }

    /// <summary>For json 1.1 errors raised by the authentication layer, which AWS names with the coral namespace.</summary>
    public string? JsonTypePrefix { get; init; }

    public bool IsSenderFault => Status < 500;
}

/// <summary>What went wrong in SigV4 authentication, independent of the protocol that reports it.</summary>
public enum AuthFailureKind
{
    None,
    MissingAuthentication,
    IncompleteSignature,
    InvalidClientTokenId,
    ExpiredToken,
    SignatureDoesNotMatch,
    SignatureExpired,
}

/// <summary>The errors every service raises, named and shaped as each service's protocol does.</summary>
public static class AwsErrors
{
    public const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    public static AwsErrorException Auth(string service, AuthFailureKind kind, string message)
    {
        var protocol = AwsModels.All[service].Protocol;
        if (protocol == "ec2")
        {
            return kind switch
            {
                AuthFailureKind.MissingAuthentication => new AwsErrorException("MissingAuthenticationToken", 401, "The request must contain either a valid (registered) AWS access key ID or X.509 certificate."),
                AuthFailureKind.IncompleteSignature => new AwsErrorException("IncompleteSignature", 403, message),
                AuthFailureKind.ExpiredToken or AuthFailureKind.SignatureExpired => new AwsErrorException("RequestExpired", 400, "Request has expired."),
                _ => new AwsErrorException("AuthFailure", 401, "AWS was not able to validate the provided access credentials"),
            };
        }
        if (protocol == "query")
        {
            return kind switch
            {
                AuthFailureKind.MissingAuthentication => new AwsErrorException("MissingAuthenticationToken", 403, "Request is missing Authentication Token"),
                AuthFailureKind.IncompleteSignature => new AwsErrorException("IncompleteSignature", 403, message),
                AuthFailureKind.InvalidClientTokenId => new AwsErrorException("InvalidClientTokenId", 403, "The security token included in the request is invalid."),
                AuthFailureKind.ExpiredToken => new AwsErrorException("ExpiredToken", 403, "The security token included in the request is expired"),
                _ => new AwsErrorException("SignatureDoesNotMatch", 403, message),
            };
        }
        // rest-json (EKS) and json 1.1 (KMS): the Coral names.
        const string coral = "com.amazon.coral.service#";
        return kind switch
        {
            AuthFailureKind.MissingAuthentication => new AwsErrorException("MissingAuthenticationTokenException", 403, "Missing Authentication Token") { JsonTypePrefix = coral },
            AuthFailureKind.IncompleteSignature => new AwsErrorException("IncompleteSignatureException", 403, message) { JsonTypePrefix = coral },
            AuthFailureKind.InvalidClientTokenId => new AwsErrorException("UnrecognizedClientException", 403, "The security token included in the request is invalid.") { JsonTypePrefix = coral },
            AuthFailureKind.ExpiredToken => new AwsErrorException("ExpiredTokenException", 403, "The security token included in the request is expired") { JsonTypePrefix = coral },
            _ => new AwsErrorException("InvalidSignatureException", 403, message) { JsonTypePrefix = coral },
        };
    }

    /// <summary>The service's AccessDenied for an IAM action the caller's permission set does not allow.</summary>
    public static AwsErrorException AccessDenied(string service, string principalArn, string action, string? resource)
    {
        var onResource = resource is null ? "" : $" on resource: {resource}";
        var because = $" because no identity-based policy allows the {action} action";
        return service switch
        {
            "eks" => new AwsErrorException("AccessDeniedException", 403, $"User: {principalArn} is not authorized to perform: {action}{onResource}{because}"),
            "kms" or "ssm" => new AwsErrorException("AccessDeniedException", 400, $"User: {principalArn} is not authorized to perform: {action}{onResource}{because}"),
            "ec2" => new AwsErrorException("UnauthorizedOperation", 403, $"You are not authorized to perform this operation. User: {principalArn} is not authorized to perform: {action}{because}"),
            _ => new AwsErrorException("AccessDenied", 403, $"User: {principalArn} is not authorized to perform: {action}{onResource}{because}"),
        };
    }

    /// <summary>The service's throttling error (the codes the SDKs retry on).</summary>
    public static AwsErrorException Throttling(string service) => service switch
    {
        "eks" => new AwsErrorException("ThrottlingException", 429, "Rate exceeded"),
        "kms" or "ssm" => new AwsErrorException("ThrottlingException", 400, "Rate exceeded"),
        "ec2" => new AwsErrorException("RequestLimitExceeded", 503, "Request limit exceeded."),
        _ => new AwsErrorException("Throttling", 400, "Rate exceeded"),
    };

    /// <summary>The service's own 5xx error for a status (500 or 503).</summary>
    public static AwsErrorException ServerError(string service, int status)
    {
        var unavailable = status == 503;
        return service switch
        {
            "eks" => unavailable
                ? new AwsErrorException("ServiceUnavailableException", 503, "Service Unavailable")
                : new AwsErrorException("ServerException", status, "An internal error occurred. Try again later."),
            "iam" => unavailable
                ? new AwsErrorException("ServiceUnavailable", 503, "Service Unavailable")
                : new AwsErrorException("ServiceFailure", status, "The request processing has failed because of an unknown error, exception or failure."),
            "ec2" => unavailable
                ? new AwsErrorException("Unavailable", 503, "The server is overloaded and can't handle the request.")
                : new AwsErrorException("InternalError", status, "An internal error has occurred."),
            "kms" => unavailable
                ? new AwsErrorException("DependencyTimeoutException", 503, "The system timed out while trying to fulfill the request.")
                : new AwsErrorException("KMSInternalException", status, "An internal error occurred."),
            "ssm" => unavailable
                ? new AwsErrorException("ServiceUnavailable", 503, "Service Unavailable")
                : new AwsErrorException("InternalServerError", status, "An error occurred on the server side."),
            _ => unavailable
                ? new AwsErrorException("ServiceUnavailable", 503, "Service Unavailable")
                : new AwsErrorException("InternalFailure", status, "The request processing has failed because of an unknown error, exception or failure."),
        };
    }

    /// <summary>The service's generic validation error.</summary>
    public static AwsErrorException Validation(string service, string message) => service switch
    {
        "eks" => new AwsErrorException("InvalidParameterException", 400, message),
        "kms" or "ssm" => new AwsErrorException("ValidationException", 400, message),
        "ec2" => new AwsErrorException("InvalidParameterValue", 400, message),
        _ => new AwsErrorException("ValidationError", 400, message),
    };
}
