using Akka.Streams;
using Akka.Streams.Stage;

namespace Broker.InProcess;

/// <summary>
/// A Source of one subscription's messages. Each materialization subscribes (its materialized
/// task completes once publishers see the subscription) and unsubscribes when the stream stops;
/// it completes when the subscription ends (max messages, connection closed) after what was
/// buffered, and fails on overflow under the Fail strategy or as a slow consumer.
/// </summary>
internal sealed class SubscriptionSource(
    InProcessConnection connection, string subject, string? queue, int bufferSize, BufferOverflow overflow, long maxMessages)
    : GraphStageWithMaterializedValue<SourceShape<BrokerMessage>, Task>
{
    private readonly Outlet<BrokerMessage> _out = new("InProcessSubscription.out");
    private readonly InProcessConnection _connection = connection;
    private readonly string _subject = subject;
    private readonly string? _queue = queue;
    private readonly int _bufferSize = bufferSize;
    private readonly BufferOverflow _overflow = overflow;
    private readonly long _maxMessages = maxMessages;

    public override SourceShape<BrokerMessage> Shape => new(_out);

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("InProcessSubscription");

    public override ILogicAndMaterializedValue<Task> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task>(new Logic(this, subscribed), subscribed.Task);
    }

    private sealed class Logic : GraphStageLogic
    {
        private readonly SubscriptionSource _stage;
        private readonly TaskCompletionSource _subscribed;
        private readonly StreamSubscriber _subscriber;

        /// <summary>Messages taken from the subscriber in one go, pushed one per pull without a lock.</summary>
        private readonly BrokerMessage?[] _batch;
        private int _next;
        private int _count;

        public Logic(SubscriptionSource stage, TaskCompletionSource subscribed) : base(stage.Shape)
        {
            _stage = stage;
            _subscribed = subscribed;
            var server = stage._connection.Server.Options;
            var grace = server.WriteDeadline / 2 < TimeSpan.FromSeconds(2) ? server.WriteDeadline / 2 : TimeSpan.FromSeconds(2);
            _subscriber = new StreamSubscriber(stage._bufferSize, stage._overflow, server.MaxPending, grace);
            _batch = new BrokerMessage?[_subscriber.BatchSize];
            SetHandler(stage._out, onPull: Drain, onDownstreamFinish: _ =>
            {
                stage._connection.RemoveSubscription(_subscriber);
                CompleteStage();
            });
        }

        public override void PreStart()
        {
            _subscriber.OnAvailable(GetAsyncCallback(OnWake));
            try
            {
                var applied = _stage._connection.AddSubscription(_subscriber, _stage._subject, _stage._queue, _stage._maxMessages);
                _ = applied.ContinueWith(t => _subscribed.TrySetResult(), TaskScheduler.Default);
            }
            catch (Exception e)
            {
                _subscribed.TrySetException(e);
                FailStage(e);
            }
        }

        public override void PostStop() => _stage._connection.RemoveSubscription(_subscriber);

        private void OnWake()
        {
            if (IsAvailable(_stage._out))
            {
                Drain();
                return;
            }
            var (ended, failure) = _subscriber.State();
            if (failure is not null) FailStage(failure);
            else if (ended && _next == _count) CompleteStage();
        }

        private void Drain()
        {
            if (_next == _count)
            {
                _next = 0;
                _count = _subscriber.TakeBatch(_batch, out var ended, out var failure);
                if (_count == 0)
                {
                    if (failure is not null) FailStage(failure);
                    else if (ended) CompleteStage();
                    return;
                }
            }
            var message = _batch[_next]!;
            _batch[_next++] = null;
            Push(_stage._out, message);
        }
    }
}
