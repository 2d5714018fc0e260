namespace Broker.Protocol;

/// <summary>What one call to <see cref="ProtocolParser.TryParse"/> found at the start of the buffer.</summary>
public enum ParseResult : byte
{
    /// <summary>A whole operation (with its payload) was parsed.</summary>
    Operation,

    /// <summary>The buffer holds only the beginning of an operation; read more and call again.</summary>
    NeedMoreData,

    /// <summary>The bytes cannot be a valid operation; see the <see cref="ParseError"/>.</summary>
    Error,
}

/// <summary>Why the parser refused the input; each maps to nats-server's reaction (see ProtocolErrors).</summary>
public enum ParseError : byte
{
    None,

    /// <summary>Unknown operation or broken framing: nats-server sends 'Unknown Protocol Operation' and closes.</summary>
    UnknownOperation,

    /// <summary>Control line longer than max_control_line: 'maximum control line exceeded' and close.</summary>
    MaxControlLineExceeded,

    /// <summary>Announced payload above max_payload: 'Maximum Payload Violation' and close.</summary>
    MaxPayloadExceeded,

    /// <summary>A known operation with malformed arguments: nats-server closes without an -ERR.</summary>
    InvalidArguments,
}
