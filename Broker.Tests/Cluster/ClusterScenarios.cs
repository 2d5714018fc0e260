namespace Broker.Tests.Cluster;

/// <summary>
/// The scenario driver: each scenario runs NATS.Net clients against a <see cref="ClusterFixture"/>
/// of either kind and returns what they observed as lines of text, deterministic for a correct
/// cluster, so Broker's outcome can be compared with <see cref="Expected"/> and with nats-server's.
/// Nodes 0, 1, 2 are called A, B, C; every run uses subjects of its own.
/// </summary>
public static partial class ClusterScenarios
{
    public const string PubSub = "pub/sub across nodes";
    public const string QueueGroups = "queue groups exactly once";
    public const string RequestReply = "request/reply across nodes";
    public const string LateJoiner = "a late joiner gets existing interest";
    public const string InterestRemoval = "interest leaves with auto-unsubscribe and a closed client";
    public const string Payloads = "payloads from empty to max_payload";
    public const string AccountIsolation = "accounts stay apart across nodes";
    public const string StreamImport = "a stream import reaches the importer's subscribers on other nodes";
    public const string QueueHandOn = "a queue message its member's node cannot deliver goes to another member";

    public static TheoryData<string> Names => new() { PubSub, QueueGroups, RequestReply, LateJoiner, InterestRemoval, Payloads, AccountIsolation, StreamImport, QueueHandOn };

    public static Task<IReadOnlyList<string>> RunAsync(string name, ClusterFixture fixture) => name switch
    {
        PubSub => PubSubAsync(fixture.Cluster),
        QueueGroups => QueueGroupsAsync(fixture.Cluster),
        RequestReply => RequestReplyAsync(fixture.Cluster),
        LateJoiner => LateJoinerAsync(fixture),
        InterestRemoval => InterestRemovalAsync(fixture.Cluster),
        Payloads => PayloadsAsync(fixture.Cluster),
        AccountIsolation => AccountIsolationAsync(fixture.Cluster),
        StreamImport => StreamImportAsync(fixture.Cluster),
        QueueHandOn => QueueHandOnAsync(fixture.Cluster),
        _ => throw new ArgumentException(name),
    };

    /// <summary>What a correct cluster shows: the model each outcome is checked against.</summary>
    public static IReadOnlyList<string> Expected(string name) => name switch
    {
        PubSub => ExpectedPubSub(),
        QueueGroups => ExpectedQueueGroups(),
        RequestReply => ExpectedRequestReply(),
        LateJoiner => ExpectedLateJoiner(),
        InterestRemoval => ExpectedInterestRemoval(),
        Payloads => ExpectedPayloads(),
        AccountIsolation => ExpectedAccountIsolation(),
        StreamImport => ExpectedStreamImport(),
        QueueHandOn => ExpectedQueueHandOn(),
        _ => throw new ArgumentException(name),
    };

    private static string Numbered(string prefix, int count) => string.Join(" ", Enumerable.Range(0, count).Select(i => prefix + i));

    private static string Run() => Guid.NewGuid().ToString("N")[..8];

    private static Task<ScenarioConnection> ConnectAsync(ProcessCluster cluster, int node) =>
        ScenarioConnection.ConnectAsync(((char)('A' + node)).ToString(), cluster.Url(node));
}
