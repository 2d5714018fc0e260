namespace Broker.SystemAccount;

/// <summary>A leaf node connected to this hub, bound to <paramref name="Account"/>.</summary>
public sealed record LeafNodeConnected(string Account);
