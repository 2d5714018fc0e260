namespace Broker.Protocol;

/// <summary>
/// The exact -ERR texts nats-server 2.9 sends, in one place (as nats-server keeps them in errors.go).
/// Clients match on some of these strings, so they are part of the wire contract.
/// </summary>
public static class ProtocolErrors
{
    public const string UnknownOperation = "Unknown Protocol Operation";
    public const string MaxPayloadViolation = "Maximum Payload Violation";
    public const string MaxControlLineExceeded = "maximum control line exceeded";
    public const string MaxConnectionsExceeded = "maximum connections exceeded";
    public const string MaxSubscriptionsExceeded = "maximum subscriptions exceeded";
    public const string MaxAccountConnectionsExceeded = "maximum account active connections exceeded";
    public const string InvalidPublishSubject = "Invalid Publish Subject";
    public const string InvalidSubject = "Invalid Subject";
    public const string StaleConnection = "Stale Connection";
    public const string SlowConsumer = "Slow Consumer";
    public const string AuthenticationTimeout = "Authentication Timeout";
    public const string AuthorizationViolation = "Authorization Violation";
    public const string UserRevoked = "User Authentication Revoked";
    public const string UserExpired = "User Authentication Expired";
    public const string AccountExpired = "Account Authentication Expired";

    /// <summary>The whole frame: <c>-ERR 'text'\r\n</c>.</summary>
    public static byte[] Frame(string text) => System.Text.Encoding.ASCII.GetBytes($"-ERR '{text}'\r\n");
}
