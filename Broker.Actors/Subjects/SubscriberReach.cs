namespace Broker.Subjects;

/// <summary>Where a subscriber's interest is, nearest first: queue groups deliver to the nearest member that takes the message.</summary>
public enum SubscriberReach
{
    /// <summary>A client or account forwarder on this node.</summary>
    Local = 0,

    /// <summary>Another node of this node's cluster (region), through a node link.</summary>
    Cluster = 1,

    /// <summary>Another region of the supercluster, through a gateway link.</summary>
    Gateway = 2,
}
