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
    /// <summary>Akka's strategy classes are internal; each is told apart by its type name.</summary>
    public static BufferOverflow Of(OverflowStrategy strategy) => strategy.GetType().Name switch
    {
        "DropHead" => BufferOverflow.DropHead,
        "DropTail" => BufferOverflow.DropTail,
        "DropBuffer" => BufferOverflow.DropBuffer,
        "DropNew" => BufferOverflow.DropNew,
        "Fail" => BufferOverflow.Fail,
        "Backpressure" => BufferOverflow.Backpressure,
        var other => throw new ArgumentException($"overflow strategy {other} is not supported by a subscription source", nameof(strategy)),
    };
}
