using System.Text;

namespace Broker.InProcess;

/// <summary>
/// One message as an in-process subscriber receives it: a copy taken at delivery, so it stays
/// valid after the publisher's buffers are reused, and safe to pass between actors. Small messages'
/// copies share blocks (<see cref="PayloadBlocks"/>): keeping one message keeps its block.
/// </summary>
public sealed class BrokerMessage
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _headerSize;
    private MessageHeaders? _headers;

    internal BrokerMessage(string subject, string? replyTo, ReadOnlyMemory<byte> headersAndPayload, int headerSize)
    {
        Subject = subject;
        ReplyTo = replyTo;
        _data = headersAndPayload;
        _headerSize = headerSize;
    }

    public string Subject { get; }

    /// <summary>The subject a reply goes to; null when the publisher wants none.</summary>
    public string? ReplyTo { get; }

    public ReadOnlyMemory<byte> Payload => _headerSize < 0 ? _data : _data[_headerSize..];

    /// <summary>The header block as on the wire (<c>NATS/1.0 ...</c>); empty when the message has none.</summary>
    public ReadOnlyMemory<byte> RawHeaders => _headerSize < 0 ? ReadOnlyMemory<byte>.Empty : _data[.._headerSize];

    public bool HasHeaders => _headerSize >= 0;

    /// <summary>Header block and payload together, in bytes: what the message weighs in a subscriber's buffer.</summary>
    internal int Size => _data.Length;

    /// <summary>The headers, parsed on first use; <see cref="MessageHeaders.Empty"/> when there are none.</summary>
    public MessageHeaders Headers => _headers ??= _headerSize < 0 ? MessageHeaders.Empty : MessageHeaders.Parse(RawHeaders.Span);

    /// <summary>The payload as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    public override string ToString() => $"{Subject} ({Payload.Length} bytes{(ReplyTo is null ? "" : ", reply " + ReplyTo)})";
}
