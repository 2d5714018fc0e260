using Akka.Streams;
using Akka.Streams.Stage;

namespace Broker.InProcess;

/// <summary>
/// A Source of one subscription's messages in batches: each element is what was buffered when the
/// stream pulled (up to a maximum), in order, so a fast publisher costs the stream one element per
/// batch rather than per message. Always back-pressured; otherwise as <see cref="SubscriptionSource"/>.
/// </summary>
internal sealed class BatchSubscriptionSource(
    InProcessConnection connection, string subject, string? queue, int bufferSize, int maxBatch, long maxMessages)
    : GraphStageWithMaterializedValue<SourceShape<IReadOnlyList<BrokerMessage>>, Task>
{
    private readonly Outlet<IReadOnlyList<BrokerMessage>> _out = new("InProcessBatchSubscription.out");

    public override SourceShape<IReadOnlyList<BrokerMessage>> Shape => new(_out);

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("InProcessBatchSubscription");

    public override ILogicAndMaterializedValue<Task> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logic = new Logic(Shape, connection, subject, queue, bufferSize, maxBatch, maxMessages, subscribed);
        return new LogicAndMaterializedValue<Task>(logic, subscribed.Task);
    }

    private sealed class Logic(
        SourceShape<IReadOnlyList<BrokerMessage>> shape, InProcessConnection connection, string subject, string? queue, int bufferSize, int maxBatch,
        long maxMessages, TaskCompletionSource subscribed)
        : SubscriptionStageLogic<IReadOnlyList<BrokerMessage>>(shape, connection, subject, queue, bufferSize, BufferOverflow.Backpressure, maxMessages, subscribed)
    {
        protected override bool HoldsMessages => false;

        protected override void Drain()
        {
            var batch = Subscriber.TakeArray(maxBatch, out var ended, out var failure);
            if (batch is not null) Push(Out, batch);
            else if (failure is not null) FailStage(failure);
            else if (ended) CompleteStage();
        }
    }
}
