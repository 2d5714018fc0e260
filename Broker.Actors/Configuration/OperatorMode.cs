using Broker.Security.Jwt;

namespace Broker.Configuration;

/// <summary>
/// Decentralized security: the trusted operator and the account JWTs it signed (from
/// <c>resolver_preload</c> or a resolver directory), all verified at load. The server holds no
/// user secrets: users bring their own JWTs, signed by these accounts.
/// </summary>
public sealed record OperatorMode(OperatorClaims Operator, IReadOnlyDictionary<string, AccountClaims> Accounts);
