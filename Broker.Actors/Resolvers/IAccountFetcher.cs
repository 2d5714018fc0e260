namespace Broker.Resolvers;

/// <summary>Where an account JWT not yet known is asked for when one of its users connects.</summary>
public interface IAccountFetcher
{
    /// <summary>The account's JWT, or null when it is not found or could not be fetched (the reason is logged).</summary>
    Task<string?> FetchAsync(string account, CancellationToken cancellation);
}
