namespace Broker.InProcess;

/// <summary>A live subscription of an actor or a responder: disposing it unsubscribes.</summary>
public sealed class InProcessSubscription : IAsyncDisposable
{
    private readonly InProcessConnection _connection;
    private readonly InProcessSubscriber _subscriber;
    private readonly Func<long> _dropped;

    internal InProcessSubscription(InProcessConnection connection, InProcessSubscriber subscriber, string subject, string? queue, Func<long> dropped)
    {
        _connection = connection;
        _subscriber = subscriber;
        _dropped = dropped;
        Subject = subject;
        Queue = queue;
    }

    public string Subject { get; }
    public string? Queue { get; }

    /// <summary>Messages dropped because the target was past its bound.</summary>
    public long Dropped => _dropped();

    /// <summary>Messages delivered so far.</summary>
    public long Delivered => _subscriber.Subscription?.Delivered ?? 0;

    public void Unsubscribe() => _connection.RemoveSubscription(_subscriber);

    public ValueTask DisposeAsync()
    {
        Unsubscribe();
        return ValueTask.CompletedTask;
    }
}
