namespace Broker.Clients;

/// <summary>Why a connection closed, named as nats-server names them in /connz.</summary>
public enum CloseReason
{
    ClientClosed,
    ServerShutdown,
    ParseError,
    ProtocolViolation,
    MaxPayloadExceeded,
    MaxControlLineExceeded,
    MaxConnectionsExceeded,
    StaleConnection,
    SlowConsumerPendingBytes,
    SlowConsumerWriteDeadline,
    WriteError,
    ReadError,
    AuthenticationTimeout,
    AuthenticationViolation,
    TlsHandshakeError,
    MaxAccountConnectionsExceeded,
    MaxSubscriptionsExceeded,
    Revocation,
    AuthenticationExpired,
}
