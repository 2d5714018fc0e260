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

    public override SourceShape<BrokerMessage> Shape => new(_out);

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("InProcessSubscription");

    public override ILogicAndMaterializedValue<Task> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logic = new Logic(Shape, connection, subject, queue, bufferSize, overflow, maxMessages, subscribed);
        return new LogicAndMaterializedValue<Task>(logic, subscribed.Task);
    }

    private sealed class Logic : SubscriptionStageLogic<BrokerMessage>
    {
        /// <summary>Messages taken from the subscriber in one go, pushed one per pull without a lock.</summary>
        private readonly BrokerMessage?[] _batch;
        private int _next;
        private int _count;

        public Logic(
            SourceShape<BrokerMessage> shape, InProcessConnection connection, string subject, string? queue, int bufferSize, BufferOverflow overflow,
            long maxMessages, TaskCompletionSource subscribed)
            : base(shape, connection, subject, queue, bufferSize, overflow, maxMessages, subscribed) =>
            _batch = new BrokerMessage?[Subscriber.BatchSize];

        protected override bool HoldsMessages => _next < _count;

        protected override void Drain()
        {
            if (_next == _count)
            {
                _next = 0;
                _count = Subscriber.TakeBatch(_batch, out var ended, out var failure);
                if (_count == 0)
                {
                    if (failure is not null) FailStage(failure);
                    else if (ended) CompleteStage();
                    return;
                }
            }
            var message = _batch[_next]!;
            _batch[_next++] = null;
            Push(Out, message);
        }
    }
}
