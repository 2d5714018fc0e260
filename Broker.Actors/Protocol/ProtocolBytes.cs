namespace Broker.Protocol;

/// <summary>Protocol byte literals written by the server, gathered in one place.</summary>
public static class ProtocolBytes
{
    public static ReadOnlySpan<byte> Msg => "MSG "u8;
    public static ReadOnlySpan<byte> HMsg => "HMSG "u8;
    public static ReadOnlySpan<byte> Ping => "PING\r\n"u8;
    public static ReadOnlySpan<byte> Pong => "PONG\r\n"u8;
    public static ReadOnlySpan<byte> Ok => "+OK\r\n"u8;
    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;
    public static ReadOnlySpan<byte> InfoPrefix => "INFO "u8;

    /// <summary>nats-server ends INFO's JSON with a space before the line end; some tools expect it.</summary>
    public static ReadOnlySpan<byte> InfoSuffix => " \r\n"u8;

    /// <summary>The header block of the no-responders status message.</summary>
    public static ReadOnlySpan<byte> NoRespondersHeader => "NATS/1.0 503\r\n\r\n"u8;
}
