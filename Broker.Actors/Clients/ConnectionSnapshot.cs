using Broker.Clients;

namespace Broker.Clients;

/// <summary>
/// One connection as /connz shows it, read at one moment: at the request for an open connection,
/// at its end for a closed one (kept in <see cref="ClosedConnections"/>). Values only: it keeps
/// nothing of the connection alive.
/// </summary>
public sealed record ConnectionSnapshot(
    ulong Cid,
    string Ip,
    int Port,
    DateTime Start,
    DateTime LastActivity,
    DateTime? Stop,
    string? Reason,
    TimeSpan RoundTrip,
    long PendingBytes,
    Traffic Traffic,
    SubscriptionSnapshot[] Subscriptions,
    string? Name,
    string? Lang,
    string? Version,
    string? User,
    string Account)
{
    /// <summary>/connz <c>kind</c>: "Client" for network clients, "InProcess" for the application's own connections.</summary>
    public string Kind { get; init; } = "Client";

    /// <summary>/connz <c>type</c>: the client protocol ("nats"); null leaves it out.</summary>
    public string? Type { get; init; } = "nats";

    public static ConnectionSnapshot Of(ClientConnection connection)
    {
        var options = connection.Options;
        var stop = connection.Stopped;
        return new ConnectionSnapshot(
            connection.Id,
            connection.RemoteEndPoint?.Address.ToString() ?? "",
            connection.RemoteEndPoint?.Port ?? 0,
            connection.Started,
            connection.LastActivity,
            stop,
            stop is null ? null : ReasonText(connection.ClosedBy),
            connection.RoundTrip,
            connection.PendingBytes,
            Traffic.Of(connection),
            connection.Subscriptions.Select(SubscriptionSnapshot.Of).ToArray(),
            options.Name,
            options.Lang,
            options.Version,
            // nats-server's getRawAuthUser: the nkey, else the user name the client sent.
            string.IsNullOrEmpty(options.Nkey) ? options.User : options.Nkey,
            connection.Account.Name);
    }

    /// <summary>
    /// nats-server's <c>ClosedState.String()</c> for the reasons this broker closes a connection. A
    /// parse error reads "Protocol Violation": nats-server's read loop closes every parse error
    /// with that state (the differential test checks it).
    /// </summary>
    public static string ReasonText(CloseReason? reason) => reason switch
    {
        CloseReason.ClientClosed => "Client Closed",
        CloseReason.ServerShutdown => "Server Shutdown",
        CloseReason.ParseError => "Protocol Violation",
        CloseReason.ProtocolViolation => "Protocol Violation",
        CloseReason.MaxPayloadExceeded => "Maximum Message Payload Exceeded",
        CloseReason.MaxControlLineExceeded => "Maximum Control Line Exceeded",
        CloseReason.MaxConnectionsExceeded => "Maximum Connections Exceeded",
        CloseReason.StaleConnection => "Stale Connection",
        CloseReason.SlowConsumerPendingBytes => "Slow Consumer (Pending Bytes)",
        CloseReason.SlowConsumerWriteDeadline => "Slow Consumer (Write Deadline)",
        CloseReason.WriteError => "Write Error",
        CloseReason.ReadError => "Read Error",
        CloseReason.AuthenticationTimeout => "Authentication Timeout",
        CloseReason.AuthenticationViolation => "Authentication Failure",
        CloseReason.MaxAccountConnectionsExceeded => "Maximum Account Connections Exceeded",
        CloseReason.MaxSubscriptionsExceeded => "Maximum Subscriptions Exceeded",
        CloseReason.Revocation => "Credentials Revoked",
        CloseReason.AuthenticationExpired => "Authentication Expired",
        _ => "Unknown State",
    };
}
