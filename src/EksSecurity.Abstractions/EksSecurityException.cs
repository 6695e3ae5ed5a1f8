namespace EksSecurity;

/// <summary>What kind of failure, so the cmdlets can pick a PowerShell ErrorCategory.</summary>
public enum EksErrorKind
{
    InvalidData,
    ObjectNotFound,
    PermissionDenied,
    ConnectionError,
    InvalidArgument,
    NotImplemented,
    OperationStopped,
}

/// <summary>A failure with a stable error id that scripts can match on.</summary>
public class EksSecurityException : Exception
{
    public EksSecurityException(string errorId, EksErrorKind kind, string message, string? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    /// <summary>Stable id, such as SnapshotSchemaTooNew.</summary>
    public string ErrorId { get; }
    public EksErrorKind Kind { get; }
    /// <summary>The file, resource or value the error is about.</summary>
    public string? Target { get; }
}
