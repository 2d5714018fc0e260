using Akka.Actor;
using Broker.Accounts;
using Broker.Configuration;
using Broker.Logging;
using Broker.Protocol;
using Broker.Security;

namespace Broker.Clients;

/// <summary>
/// The server as its client connections see it: what they read (options, accounts, the
/// authenticator, the log) and what they report (a slow consumer, a finished connection). Declared
/// here so that Clients does not depend on the layer that owns the server's state.
/// </summary>
public interface IClientHost
{
    BrokerOptions Options { get; }
    ServerLog Log { get; }
    AccountDirectory Accounts { get; }
    Account GlobalAccount { get; }
    ClientAuthenticator Authenticator { get; }

    /// <summary>In operator mode, the accounts' JWTs as they are now; null otherwise.</summary>
    OperatorAccounts? OperatorAccounts { get; }

    /// <summary>
    /// The system events actor, which connections tell of connects, disconnects and refused
    /// credentials (<see cref="ClientConnected"/> and its siblings); null without a system account.
    /// </summary>
    IActorRef? SystemEvents { get; }

    ServerInfo CreateInfo(ulong clientId, string? clientIp, string? nonce = null);

    /// <summary>Counts a slow consumer in the server's totals.</summary>
    void SlowConsumerDetected();

    /// <summary>The connection has finished: it leaves the server's live connections.</summary>
    void ConnectionFinished(ClientConnection connection);
}
