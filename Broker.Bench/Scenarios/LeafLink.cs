namespace Broker.Bench.Scenarios;

/// <summary>Which way a leaf-link scenario's messages (or requests) cross: from the leaf's clients to the hub's, or back.</summary>
internal enum LeafLink { LeafToHub, HubToLeaf }
