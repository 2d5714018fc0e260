namespace Broker.Protocol;

/// <summary>
/// One parsed operation, as slices of the receive buffer: valid only until the buffer is
/// reused, and never copied on the hot path.
/// </summary>
public ref struct ParsedOperation
{
    public OperationKind Kind;
    public ReadOnlySpan<byte> Subject;
    public ReadOnlySpan<byte> Reply;
    public ReadOnlySpan<byte> Queue;
    public ReadOnlySpan<byte> Sid;

    /// <summary>CONNECT's JSON (or INFO's, or -ERR's text).</summary>
    public ReadOnlySpan<byte> Arguments;

    /// <summary>The message body; for HPUB the headers followed by the payload.</summary>
    public ReadOnlySpan<byte> Payload;

    /// <summary>Header length for HPUB; -1 for PUB.</summary>
    public int HeaderSize;

    /// <summary>UNSUB's max; 0 when absent (unsubscribe now).</summary>
    public long Max;

    /// <summary>The control line, without its line ending (for traces and errors).</summary>
    public ReadOnlySpan<byte> ControlLine;
}
