namespace Broker.Cluster;

public sealed partial class ClusterNodeActor
{
    /// <summary>This node entered lame duck mode: the other nodes must stop sending clients here.</summary>
    public sealed record EnterLameDuck
    {
        public static readonly EnterLameDuck Instance = new();
    }

    private bool _lameDuck;

    /// <summary>
    /// As nats-server's INFO <c>ldm</c> to routes: the peers drop this node's client URL from their
    /// <c>connect_urls</c> and tell their clients. Done with the Hello they already know, without
    /// the client URL (an empty one is never advertised); the node stays a member for routing
    /// until it leaves.
    /// </summary>
    private void OnEnterLameDuck()
    {
        _lameDuck = true;
        foreach (var node in _nodes.Values) node.Actor.Tell(OwnHello(node.Actor), Self);
    }
}
