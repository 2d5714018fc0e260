namespace Broker.LeafNodes;

/// <summary>The -ERR texts nats-server 2.9 sends on leaf connections (leafnode.go, errors.go), in one place.</summary>
internal static class LeafErrors
{
    public const string WrongPort = "attempted to connect to leaf node port";
    public const string WrongPortSolicit = "attempted to connect to wrong port";
    public const string SameCluster = "remote leafnode has same cluster name";
    public const string StaleConnection = "Stale Leaf Node Connection - Closing";
    public const string Duplicate = "Duplicate Remote LeafNode Connection";

    public static string GatewayOnLeafPort(string gateway) => $"Rejecting connection from gateway \"{gateway}\" on the leafnode port";

    public static string LoopDetected(string account) => $"Loop detected for leafnode account=\"{account}\". Delaying attempt to reconnect for 30s";

    public static string SubscriptionViolation(string subject) => $"Permissions Violation for Subscription to \"{subject}\"";

    /// <summary>How long a leaf waits before reconnecting after a loop, a same-cluster refusal or a permission violation (nats-server's 30 s).</summary>
    public static readonly TimeSpan PenaltyDelay = TimeSpan.FromSeconds(30);
}
