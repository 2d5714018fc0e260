namespace Broker.Jwt;

/// <summary>An account signing key: a plain key, or one with a <see cref="UserScope"/>.</summary>
public sealed record SigningKey(string Key, UserScope? Scope = null);
