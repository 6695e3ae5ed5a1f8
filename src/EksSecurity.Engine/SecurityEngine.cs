using EksSecurity.Engine.Rules;
using EksSecurity.Engine.Snapshot;

namespace EksSecurity.Engine;

/// <summary>The engine behind the cmdlets. The loader creates it by name in the isolated load context.</summary>
public sealed class SecurityEngine : IEksSecurityEngine
{
    private readonly RuleCatalog _catalog;
    private readonly RuleRunner _runner;

    public SecurityEngine() : this(RuleCatalog.Default, RuleSettings.Default) { }

    public SecurityEngine(RuleCatalog catalog, RuleSettings settings)
    {
        _catalog = catalog;
        _runner = new RuleRunner(catalog, settings);
        Rules = catalog.Rules.Select(r => r.Metadata).ToList();
    }

    public IReadOnlyList<EksSecurityRule> Rules { get; }

    public IClusterSnapshot ReadSnapshot(string path, CancellationToken cancellationToken = default) =>
        SnapshotReader.Read(path, cancellationToken);

    public IReadOnlyList<EksSecurityExclusion> DefaultExclusions => EksSecurity.Engine.Rules.DefaultExclusions.All;

    public IClusterSnapshot ReadManifests(ManifestRequest request, IEngineLog log, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Manifest reading is being built (issue 3).");

    public IReadOnlyList<PodSecurityResult> EvaluatePodSecurity(IClusterSnapshot snapshot, PodSecurityOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Pod Security evaluation is being built (issue 3).");

    public IReadOnlyList<EksSecurityFinding> Evaluate(IClusterSnapshot snapshot, EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        if (snapshot is not ClusterSnapshot data)
            throw new EksSecurityException("SnapshotNotFromEngine", EksErrorKind.InvalidArgument, "The snapshot was not read by this engine.");
        return _runner.Run(data, options, cancellationToken);
    }
}
