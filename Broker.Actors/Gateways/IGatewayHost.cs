using Broker.Accounts;
using Broker.Configuration;
using Broker.Logging;

namespace Broker.Gateways;

/// <summary>
/// The server as its gateway sees it: options, accounts and log, and the connection ids it shares
/// with clients and node links (/gatewayz shows them). Declared here so that Gateways does not
/// depend on the layer that owns the server's state.
/// </summary>
public interface IGatewayHost
{
    BrokerOptions Options { get; }
    ServerLog Log { get; }
    AccountDirectory Accounts { get; }
    ulong NextClientId();

    /// <summary>This node's cluster actor, the sender of responses forwarded to peers (they take batches from admitted members only).</summary>
    Akka.Actor.IActorRef? ClusterNode { get; }
}
