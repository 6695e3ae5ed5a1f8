using System.Reflection;

namespace EksSecurity.PowerShell.Loading;

/// <summary>
/// Creates the engine on first use, not at import: importing the module does nothing but
/// register the cmdlets.
/// </summary>
internal static class EngineHost
{
    private const string EngineAssemblyFile = "EksSecurity.Engine.dll";
    private const string EngineTypeName = "EksSecurity.Engine.SecurityEngine";

    private static readonly Lazy<IEksSecurityEngine> s_engine = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IEksSecurityEngine Engine => s_engine.Value;

    /// <summary>The folder the engine and its packages are loaded from.</summary>
    public static string DependencyDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(EngineHost).Assembly.Location)!, "Dependencies");

    private static IEksSecurityEngine Create()
    {
        var directory = DependencyDirectory;
        var path = Path.Combine(directory, EngineAssemblyFile);
        if (!File.Exists(path))
            throw new EksSecurityException("EngineNotFound", EksErrorKind.ObjectNotFound,
                $"The EksSecurity engine was not found at '{path}'. The module installation is incomplete; reinstall the module.", path);
        var context = new EngineLoadContext(directory);
        var assembly = context.LoadFromAssemblyPath(path);
        var type = assembly.GetType(EngineTypeName, throwOnError: true)!;
        return (IEksSecurityEngine)Activator.CreateInstance(type)!;
    }

    /// <summary>For diagnostics and tests: the load context the engine lives in.</summary>
    public static string? EngineContextName =>
        s_engine.IsValueCreated ? System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(s_engine.Value.GetType().Assembly)?.Name : null;
}
