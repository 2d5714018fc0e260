namespace Broker.InProcess;

/// <summary>Base of the errors an in-process connection reports; the message is nats-server's <c>-ERR</c> text where one exists.</summary>
public class InProcessException(string message) : Exception(message);

/// <summary>The connection's user may not publish or subscribe there (nats-server's "Permissions Violation for ...").</summary>
public sealed class PermissionViolationException(string message) : InProcessException(message);

/// <summary>A request that no subscriber could take (nats-server's 503 no-responders status).</summary>
public sealed class NoRespondersException(string subject) : InProcessException($"no responders for \"{subject}\"")
{
    public string Subject { get; } = subject;
}

/// <summary>A request that got no reply within its timeout.</summary>
public sealed class RequestTimeoutException(string subject, TimeSpan timeout)
    : InProcessException($"request to \"{subject}\" timed out after {timeout.TotalMilliseconds:0} ms")
{
    public string Subject { get; } = subject;
}

/// <summary>A publish or subscription the broker refuses for its shape or a limit (bad subject, payload too large, too many subscriptions).</summary>
public sealed class InvalidOperationForBrokerException(string message) : InProcessException(message);

/// <summary>The connection was closed (by its owner or by the broker's shutdown).</summary>
public sealed class ConnectionClosedException() : InProcessException("the in-process connection is closed");

/// <summary>A stream subscription whose consumer stopped pulling until its buffer passed max_pending.</summary>
public sealed class SlowConsumerException(string subject, long pendingBytes)
    : InProcessException($"Slow Consumer Detected: subscription to \"{subject}\" holds {pendingBytes} bytes its stream did not pull");
