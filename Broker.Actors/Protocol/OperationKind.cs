namespace Broker.Protocol;

/// <summary>The client protocol operations the parser recognises.</summary>
public enum OperationKind : byte
{
    None,
    Connect,
    Pub,
    HPub,
    Sub,
    Unsub,
    Ping,
    Pong,
    Info,
    Ok,
    Err,
}
