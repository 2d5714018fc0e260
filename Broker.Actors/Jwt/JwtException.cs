namespace Broker.Jwt;

/// <summary>A JWT that cannot be decoded or whose signature does not verify. The message never contains the token.</summary>
public sealed class JwtException(string message, Exception? inner = null) : Exception(message, inner);
