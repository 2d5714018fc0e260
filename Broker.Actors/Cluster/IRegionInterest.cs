namespace Broker.Cluster;

/// <summary>
/// Where the interest of this node and of its cluster peers goes when the node is in a
/// supercluster: the gateway layer's view of the region's interest, which other regions hear of.
/// The cluster feeds it and does not know what is behind it.
/// </summary>
public interface IRegionInterest
{
    void Add(InterestEntry entry);

    void Remove(InterestEntry entry);
}
