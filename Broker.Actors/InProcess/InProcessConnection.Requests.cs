using System.Collections.Concurrent;
using System.Text;

namespace Broker.InProcess;

public sealed partial class InProcessConnection
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<BrokerMessage>> _pendingRequests = new();
    private readonly object _inboxGate = new();
    private Task? _inboxReady;
    private string? _inboxPrefix;
    private long _nextRequest;

    /// <summary>The longest a request waits when no timeout is given.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Publishes a request with a reply subject of this connection's own inbox and returns the first
    /// reply. Fails with <see cref="NoRespondersException"/> when no subscriber took the request (or a
    /// 503 status comes back), with <see cref="RequestTimeoutException"/> after the timeout.
    /// </summary>
    public async Task<BrokerMessage> RequestAsync(
        string subject, ReadOnlyMemory<byte> payload, TimeSpan? timeout = null, MessageHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        var prefix = await EnsureInboxAsync().ConfigureAwait(false);
        var id = Interlocked.Increment(ref _nextRequest);
        var answer = new TaskCompletionSource<BrokerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingRequests[id] = answer;
        try
        {
            if (Publish(subject, payload.Span, prefix + id.ToString(), headers, out _) == 0) throw new NoRespondersException(subject);
            var limit = timeout ?? DefaultRequestTimeout;
            try
            {
                return await answer.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new RequestTimeoutException(subject, limit);
            }
        }
        finally
        {
            _pendingRequests.TryRemove(id, out _);
        }
    }

    public Task<BrokerMessage> RequestAsync(OutgoingMessage message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RequestAsync(message.Subject, message.Payload, timeout, message.Headers, cancellationToken);

    /// <summary>One wildcard subscription (<c>_INBOX.&lt;id&gt;.*</c>) serves every request of this connection, as NATS clients do.</summary>
    private async Task<string> EnsureInboxAsync()
    {
        Task ready;
        lock (_inboxGate)
        {
            if (_inboxReady is null)
            {
                _inboxPrefix = $"_INBOX.{Server.ServerId[..8]}{Id}{Guid.NewGuid():N}.";
                var inbox = new CallbackSubscriber(OnReply);
                _inboxReady = AddSubscription(inbox, _inboxPrefix + "*", null, 0);
            }
            ready = _inboxReady;
        }
        await ready.ConfigureAwait(false);
        return _inboxPrefix!;
    }

    private void OnReply(BrokerMessage reply)
    {
        var token = reply.Subject.AsSpan(_inboxPrefix!.Length);
        if (!long.TryParse(token, out var id) || !_pendingRequests.TryRemove(id, out var answer)) return;
        if (reply.HasHeaders && reply.Headers.Status == 503) answer.TrySetException(new NoRespondersException(reply.Subject));
        else answer.TrySetResult(reply);
    }

    private void FailPendingRequests()
    {
        foreach (var (id, answer) in _pendingRequests)
        {
            if (_pendingRequests.TryRemove(id, out _)) answer.TrySetException(new ConnectionClosedException());
        }
    }
}
