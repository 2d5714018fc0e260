namespace Broker.LeafNodes;

/// <summary>For the system account's LEAFNODE.CONNECT advisory: a leaf node connected to this hub, bound to <paramref name="Account"/>.</summary>
public sealed record LeafNodeConnected(string Account);
