using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// Where an account reports its subscriptions so that the other nodes and regions hear of them
/// (this node's interest in a cluster or supercluster). Declared here, implemented by the cluster
/// layer, so that Accounts does not depend on Cluster.
/// </summary>
public interface IRemoteInterest
{
    void Subscribed(Account account, Subscription subscription);
    void Unsubscribed(Subscription subscription);
}
