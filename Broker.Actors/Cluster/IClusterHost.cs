using Akka.Actor;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Logging;

namespace Broker.Cluster;

/// <summary>
/// The server as its cluster node sees it: options, accounts and log to read, and the one piece of
/// the server's state the node changes, the client URLs of every node (INFO <c>connect_urls</c>).
/// Declared here so that Cluster does not depend on the layer that owns the server's state.
/// </summary>
public interface IClusterHost
{
    BrokerOptions Options { get; }
    ServerLog Log { get; }
    AccountDirectory Accounts { get; }

    /// <summary>This node's gateway actor, told when the region's gateway URLs change; null without a <c>gateway</c> block.</summary>
    IActorRef? GatewayActor { get; }

    /// <summary>The client URLs of every cluster node, this one's first.</summary>
    string[]? ConnectUrls { get; }

    /// <summary>The cluster's nodes changed: the server keeps <paramref name="urls"/> and tells every client (an INFO update).</summary>
    void ConnectUrlsChanged(string[] urls);
}
