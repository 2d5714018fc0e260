namespace Broker.Subjects;

/// <summary>Where a subscriber's interest is, nearest first: queue groups deliver to the nearest member that takes the message.</summary>
public enum SubscriberReach
{
    /// <summary>A client or account forwarder on this node.</summary>
    Local = 0,

    /// <summary>
    /// A leaf node link of this node (its leaves' interest, or its hub's): served after this
    /// node's own subscribers, as nats-server prefers local clients to leaf and route members.
    /// </summary>
    Leaf = 1,

    /// <summary>Another node of this node's cluster (region), through a node link.</summary>
    Cluster = 2,

    /// <summary>Another region of the supercluster, through a gateway link.</summary>
    Gateway = 3,
}
