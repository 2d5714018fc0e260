using Broker.Configuration;

namespace Broker.Accounts;

/// <summary>
/// Every account of one broker by name: the global account <c>$G</c>, the system account, and
/// those of the configuration. Fixed at start; each gets its own actor and subject shards.
/// </summary>
public sealed class AccountDirectory
{
    private readonly Dictionary<string, Account> _byName = new(StringComparer.Ordinal);

    public AccountDirectory(BrokerOptions options, int literalShards)
    {
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
    public IReadOnlyCollection<Account> All => _byName.Values;

    public bool TryGet(string name, out Account account) => _byName.TryGetValue(name, out account!);

    public Account this[string name] => _byName[name];

    private Account Add(Account account)
    {
        _byName.Add(account.Name, account);
        return account;
    }
}
