using Broker.Configuration;

namespace Broker.Accounts;

/// <summary>
/// Every account of one broker by name: the global account <c>$G</c>, the system account, and
/// those of the configuration; in operator mode, accounts whose JWT arrives later are added at
/// run time. Each gets its own actor and subject shards. Readers never lock: an addition swaps
/// in a new dictionary.
/// </summary>
public sealed class AccountDirectory
{
    private readonly object _additions = new();
    private Dictionary<string, Account> _byName = new(StringComparer.Ordinal);
    private readonly int _literalShards;

    public AccountDirectory(BrokerOptions options, int literalShards)
    {
        _literalShards = literalShards;
        Global = Add(new Account(AccountNames.Global, literalShards));
        foreach (var configured in options.Accounts) Add(new Account(configured.Name, literalShards) { Limits = configured.Limits });
        if (!options.NoSystemAccount)
        {
            System = _byName.TryGetValue(options.SystemAccount, out var system)
                ? system
                : Add(new Account(options.SystemAccount, literalShards));
        }
    }

    public Account Global { get; }
    /// <summary>The system account; null with <c>no_system_account</c>.</summary>
    public Account? System { get; }
    public IReadOnlyCollection<Account> All => Volatile.Read(ref _byName).Values;

    public bool TryGet(string name, out Account account) => Volatile.Read(ref _byName).TryGetValue(name, out account!);

    public Account this[string name] => Volatile.Read(ref _byName)[name];

    /// <summary>
    /// The account named <paramref name="name"/>; a new one becomes visible only after
    /// <paramref name="attach"/> (its actor, which attaches the subject shards) has completed, so
    /// nobody finds an account that cannot take a subscription yet. Adding is one step.
    /// </summary>
    internal async Task<(Account Account, bool Created)> GetOrAddAsync(string name, Func<Account, Task> attach)
    {
        if (TryGet(name, out var existing)) return (existing, false);
        var account = new Account(name, _literalShards) { ClusterInterest = ClusterInterest, RegionReplies = RegionReplies };
        await attach(account).ConfigureAwait(false);
        lock (_additions)
        {
            // Claims updates for one account are not expected to race; if one did, the first added stays.
            if (_byName.TryGetValue(name, out existing)) return (existing, false);
            return (Add(account), true);
        }
    }

    /// <summary>This node's interest in a cluster: every account, those added at run time too, reports to it.</summary>
    internal IRemoteInterest? ClusterInterest
    {
        get;
        set
        {
            field = value;
            foreach (var account in All) account.ClusterInterest = value;
        }
    }

    /// <summary>This node's gateway, where every account's responses for other regions leave; null without one.</summary>
    internal IRegionReplies? RegionReplies
    {
        get;
        set
        {
            field = value;
            foreach (var account in All) account.RegionReplies = value;
        }
    }

    private Account Add(Account account)
    {
        account.ClusterInterest = ClusterInterest;
        account.RegionReplies = RegionReplies;
        var copy = new Dictionary<string, Account>(_byName, StringComparer.Ordinal) { [account.Name] = account };
        Volatile.Write(ref _byName, copy);
        return account;
    }
}
