using Broker.Clients;
using Broker.Protocol;

namespace Broker.SystemAccount;

/// <summary>A client authenticated (or, without authentication, sent CONNECT): announce it.</summary>
public sealed record ClientConnected(ClientConnection Connection);

/// <summary>A connection finished: its counts are final and it has left its account.</summary>
public sealed record ClientDisconnected(ClientConnection Connection);

/// <summary>
/// A client's credentials were refused at <paramref name="At"/>. <paramref name="Attempted"/> is the
/// CONNECT it sent; the advisory takes its user name, never its password or token.
/// </summary>
public sealed record AuthenticationFailed(ClientConnection Connection, ConnectOptions Attempted, DateTime At);

/// <summary>A message on one of the system account's request subjects, copied off the publisher's buffer.</summary>
public sealed record SystemRequest(string Subject, string Reply, byte[] Body);

/// <summary>A leaf node connected to this hub, bound to <paramref name="Account"/>.</summary>
public sealed record LeafNodeConnected(string Account);
