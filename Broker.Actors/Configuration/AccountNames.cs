namespace Broker.Configuration;

/// <summary>The names every broker knows, and what an account name may be.</summary>
public static class AccountNames
{
    /// <summary>Clients not bound to an account land here, so NATS 1.x setups work unchanged.</summary>
    public const string Global = "$G";

    /// <summary>The system account when none is configured, as in nats-server.</summary>
    public const string DefaultSystem = "$SYS";

    /// <summary>Printable, no spaces and no subject separators or wildcards: a name ends up in subjects like <c>$SYS.ACCOUNT.name.CONNECT</c>.</summary>
    public static bool IsValid(string name) =>
        name.Length > 0 && name.All(c => c > ' ' && c < 127 && c is not ('.' or '*' or '>'));
}
