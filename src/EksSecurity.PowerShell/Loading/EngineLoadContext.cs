using System.Reflection;
using System.Runtime.Loader;

namespace EksSecurity.PowerShell.Loading;

/// <summary>
/// Loads the engine and its packages (AWSSDK.*, KubernetesClient, YamlDotNet) from Dependencies/
/// in a context of their own, so they never clash with the copies other modules (AWS Tools for
/// PowerShell, powershell-yaml) put in the default context. Only EksSecurity.Abstractions is
/// shared, so the engine's interfaces are the cmdlets' interfaces.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    private static readonly Assembly s_abstractions = typeof(IEksSecurityEngine).Assembly;
    private readonly string _directory;

    public EngineLoadContext(string directory) : base("EksSecurity.Engine", isCollectible: false)
    {
        _directory = directory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, s_abstractions.GetName().Name, StringComparison.Ordinal))
            return s_abstractions;
        var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        // Anything not shipped in Dependencies/ is the runtime's: fall back to the default context.
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var candidate = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
