using Akka.Streams;

namespace Broker.InProcess;

/// <summary>What a full stream buffer does with the next message: Akka.Streams' overflow strategies.</summary>
internal enum BufferOverflow
{
    DropHead,
    DropTail,
    DropBuffer,
    DropNew,
    Fail,
    Backpressure,
}

internal static class BufferOverflows
{
    /// <summary>Akka's strategies are values whose kinds are internal: each is compared with the named ones.</summary>
    public static BufferOverflow Of(OverflowStrategy strategy) =>
        strategy.Equals(OverflowStrategy.DropHead) ? BufferOverflow.DropHead
        : strategy.Equals(OverflowStrategy.DropTail) ? BufferOverflow.DropTail
        : strategy.Equals(OverflowStrategy.DropBuffer) ? BufferOverflow.DropBuffer
        : strategy.Equals(OverflowStrategy.DropNew) ? BufferOverflow.DropNew
        : strategy.Equals(OverflowStrategy.Fail) ? BufferOverflow.Fail
        : strategy.Equals(OverflowStrategy.Backpressure) ? BufferOverflow.Backpressure
        : throw new ArgumentException($"overflow strategy {strategy} is not supported by a subscription source", nameof(strategy));
}
