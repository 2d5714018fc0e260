using Akka.Actor;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Gateways;
using Broker.Logging;
using Broker.Security;

namespace Broker.LeafNodes;

/// <summary>
/// The server as its leaf node links see it. Declared here so that LeafNodes does not depend on
/// the layer that owns the server's state (which lists the leaf links for monitoring).
/// </summary>
internal interface ILeafHost
{
    BrokerOptions Options { get; }
    ServerLog Log { get; }
    AccountDirectory Accounts { get; }
    ClientAuthenticator Authenticator { get; }

    /// <summary>The account JWTs in force (operator mode): what live claims are checked against; null otherwise.</summary>
    OperatorAccounts? OperatorAccounts { get; }
    string ServerId { get; }
    string ServerName { get; }
    ulong NextClientId();

    /// <summary>The system account's event actor (the LEAFNODE.CONNECT advisory); null without a system account.</summary>
    IActorRef? SystemEvents { get; }

    /// <summary>This node's gateway, when it is in a supercluster: <c>_GR_.</c> replies from a leaf go through it.</summary>
    GatewayNode? Gateway { get; }

    void SlowConsumerDetected();
}
