namespace Broker.Subjects;

/// <summary>
/// Told of every subscription that enters or leaves an account's index, of any kind (clients,
/// imports, other nodes', regions', leaf nodes'): leaf connections share their account's whole
/// interest. Called on the subscribing thread, before the change reaches the shard actor.
/// </summary>
public interface IInterestObserver
{
    void Added(Subscription subscription);

    void Removed(Subscription subscription);
}
