using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Broker.InProcess;

public sealed partial class InProcessConnection
{
    /// <summary>Default buffer of a subscription source, in messages.</summary>
    public const int DefaultSourceBuffer = 1024;

    /// <summary>
    /// A Source of the messages on <paramref name="subject"/> (wildcards allowed; in
    /// <paramref name="queue"/>'s group if given). Each materialization is its own subscription;
    /// its materialized task completes once publishers see it. At most <paramref name="bufferSize"/>
    /// messages wait for the stream's demand; when full, <paramref name="overflow"/> decides
    /// (default Backpressure: publishers are slowed, nothing is dropped). With
    /// <paramref name="maxMessages"/> the subscription ends, and the source completes, after that many.
    /// </summary>
    public Source<BrokerMessage, Task> Subscribe(
        string subject, string? queue = null, int bufferSize = DefaultSourceBuffer, OverflowStrategy? overflow = null, long maxMessages = 0)
    {
        if (bufferSize < 1) throw new ArgumentOutOfRangeException(nameof(bufferSize), "a subscription source needs room for one message at least");
        return Source.FromGraph(new SubscriptionSource(this, subject, queue, bufferSize, BufferOverflows.Of(overflow ?? OverflowStrategy.Backpressure), maxMessages));
    }

    /// <summary>Default largest batch of <see cref="SubscribeBatches"/>, in messages.</summary>
    public const int DefaultMaxBatch = 256;

    /// <summary>
    /// A Source of the messages on <paramref name="subject"/> in batches: each element holds, in
    /// order, the messages buffered when the stream pulled (at least one, at most
    /// <paramref name="maxBatch"/>), so the stream's cost is per batch, not per message. As
    /// <see cref="Subscribe"/> otherwise, always with back-pressure: at most
    /// <paramref name="bufferSize"/> messages wait in the subscription besides the batch the stream holds.
    /// </summary>
    public Source<IReadOnlyList<BrokerMessage>, Task> SubscribeBatches(
        string subject, string? queue = null, int bufferSize = DefaultSourceBuffer, int maxBatch = DefaultMaxBatch, long maxMessages = 0)
    {
        if (bufferSize < 1) throw new ArgumentOutOfRangeException(nameof(bufferSize), "a subscription source needs room for one message at least");
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch), "a batch holds one message at least");
        return Source.FromGraph(new BatchSubscriptionSource(this, subject, queue, bufferSize, maxBatch, maxMessages));
    }

    /// <summary>
    /// A Sink that publishes every element, pausing (back-pressure) while a subscriber is crowded; its
    /// task completes with the stream. Elements that arrive faster than they are published go out in
    /// batches of up to <paramref name="batch"/> (one flush each); a refused element fails the stream.
    /// </summary>
    public Sink<OutgoingMessage, Task<Done>> PublishSink(int batch = 256) =>
        Flow.Create<OutgoingMessage>()
            .Batch(batch, first => new List<OutgoingMessage> { first }, (list, next) =>
            {
                list.Add(next);
                return list;
            })
            .SelectAsync(1, async messages =>
            {
                await PublishBatchAsync(messages).ConfigureAwait(false);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Right);

    /// <summary>
    /// A Flow that sends each element as a request and emits its reply, in order, with up to
    /// <paramref name="parallelism"/> requests outstanding. A request without responders or reply
    /// fails the stream (<see cref="NoRespondersException"/>, <see cref="RequestTimeoutException"/>)
    /// unless a supervision strategy says otherwise.
    /// </summary>
    public Flow<OutgoingMessage, BrokerMessage, NotUsed> RequestFlow(int parallelism = 1, TimeSpan? timeout = null) =>
        Flow.Create<OutgoingMessage>().SelectAsync(parallelism, message => RequestAsync(message, timeout));
}
