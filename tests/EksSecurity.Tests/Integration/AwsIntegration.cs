using EksSecurity.Engine;
using EksSecurity.Engine.Snapshot;
using TestServer = EksSecurity.AwsTestServer.AwsTestServer;
using TestScenario = EksSecurity.AwsTestServer.Scenario;

namespace EksSecurity.Tests.Integration;

/// <summary>
/// The realistic two-cluster scenario (tests/EksSecurity.AwsTestServer/scenarios/integration.json)
/// served by the loopback AWS test server, and the engine pointed at it: the same HTTP, signing,
/// paging, retry and parsing paths a user's run takes.
/// </summary>
internal static class AwsIntegration
{
    public const string Region = "eu-west-1";
    public const string Account = "111122223333";
    public const string ScannerKey = "AKIAINTEGSCANNER0001";
    public const string ScannerSecret = "integration/Scanner+Secret/EXAMPLE0000000001";
    public const string ScannerArn = "arn:aws:iam::111122223333:user/scanner";
    public const string NoEntriesKey = "AKIAINTEGNOENTRIES01";
    public const string NoEntriesSecret = "integration/NoEntries+Secret/EXAMPLE00000001";

    public static string ScenarioPath => RepoPaths.InRepo("tests", "EksSecurity.AwsTestServer", "scenarios", "integration.json");

    /// <summary>Starts a server on a free loopback port; <paramref name="edit"/> may change the scenario first (text, then parsed form).</summary>
    public static TestServer Start(Func<string, string>? editText = null, Action<TestScenario>? edit = null)
    {
        var text = File.ReadAllText(ScenarioPath);
        if (editText is not null) text = editText(text);
        var server = new TestServer(text);
        edit?.Invoke(server.Scenario);
        server.Start();
        return server;
    }

    public static AwsAccessRequest Access(TestServer server, string key = ScannerKey, string secret = ScannerSecret, string region = Region, int throttleLimit = 8) => new()
    {
        AccessKey = key,
        SecretKey = secret,
        Region = region,
        EndpointUrl = server.BaseUri.ToString(),
        ThrottleLimit = throttleLimit,
    };

    public static async Task<ClusterSnapshot> CollectAsync(TestServer server, string cluster = "demo", AwsAccessRequest? access = null)
    {
        var snapshot = await new SecurityEngine().CollectAsync(access ?? Access(server), new CollectionRequest { ClusterName = cluster, Kubernetes = false }, null);
        return Assert.IsType<ClusterSnapshot>(snapshot);
    }

    public static IEnumerable<SnapshotSection> AwsSectionIds => Enum.GetValues<SnapshotSection>().Where(ClusterSnapshot.IsAwsSection);

    /// <summary>
    /// AWS sections a collection without Kubernetes may leave not collected: the EBS volumes are those behind
    /// the cluster's PersistentVolumes, known only from the Kubernetes half (and both EBS sections are new).
    /// They must still never be Denied or Failed.
    /// </summary>
    public static readonly HashSet<SnapshotSection> MayStayNotCollected = [SnapshotSection.EbsVolumes, SnapshotSection.EbsEncryptionByDefault];

    /// <summary>"Section: Status (permission) reason" for every AWS section not collected: an assertion message that says what went wrong.</summary>
    public static string NotCollected(ClusterSnapshot snapshot) => string.Join("\n", AwsSectionIds.Select(snapshot.DescribeSection)
        .Where(s => s.Status != SectionStatus.Collected && !(s.Status == SectionStatus.NotCollected && MayStayNotCollected.Contains(s.Section)))
        .Select(s => s.Describe()));

    public static IReadOnlyList<EksSecurityFinding> Evaluate(ClusterSnapshot snapshot, params string[] ruleIds) =>
        new SecurityEngine().Evaluate(snapshot, new EvaluationOptions { RuleIds = ruleIds.Length == 0 ? null : ruleIds, Statuses = null, Exclusions = [] });
}
