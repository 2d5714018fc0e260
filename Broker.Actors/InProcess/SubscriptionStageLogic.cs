using Akka.Streams;
using Akka.Streams.Stage;

namespace Broker.InProcess;

/// <summary>
/// What the logic of a subscription source does whatever it emits (one message or a batch):
/// subscribes when the stage starts (completing <c>subscribed</c> once publishers see it),
/// unsubscribes when it stops or downstream cancels, and is woken by a delivery while it waits.
/// </summary>
internal abstract class SubscriptionStageLogic<T> : GraphStageLogic
{
    private readonly Outlet<T> _out;
    private readonly InProcessConnection _connection;
    private readonly string _subject;
    private readonly string? _queue;
    private readonly long _maxMessages;
    private readonly TaskCompletionSource _subscribed;

    protected SubscriptionStageLogic(
        SourceShape<T> shape, InProcessConnection connection, string subject, string? queue, int bufferSize, BufferOverflow overflow, long maxMessages,
        TaskCompletionSource subscribed) : base(shape)
    {
        _out = shape.Outlet;
        _connection = connection;
        _subject = subject;
        _queue = queue;
        _maxMessages = maxMessages;
        _subscribed = subscribed;
        var server = connection.Server.Options;
        var grace = server.WriteDeadline / 2 < TimeSpan.FromSeconds(2) ? server.WriteDeadline / 2 : TimeSpan.FromSeconds(2);
        Subscriber = new StreamSubscriber(bufferSize, overflow, server.MaxPending, grace);
        SetHandler(_out, onPull: Drain, onDownstreamFinish: _ =>
        {
            connection.RemoveSubscription(Subscriber);
            CompleteStage();
        });
    }

    protected StreamSubscriber Subscriber { get; }

    protected Outlet<T> Out => _out;

    /// <summary>Messages taken from the subscriber and not pushed yet: the stage completes only after them.</summary>
    protected abstract bool HoldsMessages { get; }

    /// <summary>Pushes what there is (the outlet is available), or completes or fails the stage; with nothing, the next delivery wakes it.</summary>
    protected abstract void Drain();

    public override void PreStart()
    {
        Subscriber.OnAvailable(GetAsyncCallback(OnWake));
        try
        {
            var applied = _connection.AddSubscription(Subscriber, _subject, _queue, _maxMessages);
            _ = applied.ContinueWith(t => _subscribed.TrySetResult(), TaskScheduler.Default);
        }
        catch (Exception e)
        {
            _subscribed.TrySetException(e);
            FailStage(e);
        }
    }

    public override void PostStop() => _connection.RemoveSubscription(Subscriber);

    private void OnWake()
    {
        if (IsAvailable(_out))
        {
            Drain();
            return;
        }
        var (ended, failure) = Subscriber.State();
        if (failure is not null) FailStage(failure);
        else if (ended && !HoldsMessages) CompleteStage();
    }
}
