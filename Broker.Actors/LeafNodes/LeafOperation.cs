using Broker.Protocol;

namespace Broker.LeafNodes;

/// <summary>The operations of nats-server's leafnode protocol (parser.go: the client ops plus LS+, LS-, LMSG and the leaf HMSG).</summary>
public enum LeafOperationKind : byte
{
    Connect,
    Info,
    Ping,
    Pong,
    Ok,
    Err,
    Subscribe,
    Unsubscribe,
    Message,
}

/// <summary>One parsed leaf operation, as slices of the receive buffer (valid until the buffer is reused).</summary>
public ref struct LeafOperation
{
    public LeafOperationKind Kind;
    public ReadOnlySpan<byte> Subject;
    public ReadOnlySpan<byte> Reply;

    /// <summary>LS+/LS-: the queue group (empty for plain interest). LMSG/HMSG: the space-separated queue groups it targets.</summary>
    public ReadOnlySpan<byte> Queues;

    /// <summary>LS+ queue weight (members behind the sender); 0 for plain interest.</summary>
    public int Weight;

    /// <summary>CONNECT's and INFO's JSON, -ERR's text.</summary>
    public ReadOnlySpan<byte> Arguments;

    /// <summary>The message body; for HMSG the headers followed by the payload.</summary>
    public ReadOnlySpan<byte> Payload;

    /// <summary>Header length for HMSG; -1 for LMSG.</summary>
    public int HeaderSize;

    /// <summary>LS+/LS-: the interest's key as nats-server stores it: "subject" or "subject queue".</summary>
    public ReadOnlySpan<byte> Key;
}
