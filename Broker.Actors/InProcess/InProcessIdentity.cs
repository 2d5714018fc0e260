namespace Broker.InProcess;

/// <summary>
/// Who an in-process connection is: a configured user (its account and permissions, as if it had
/// logged in; no password, the code is in the process already) or, for trusted code, an account by
/// name with no permission restrictions.
/// </summary>
public abstract record InProcessIdentity
{
    private InProcessIdentity() { }

    /// <summary>The configured user of this name (or nkey): its account, permissions and limits.</summary>
    public static InProcessIdentity User(string name) => new UserIdentity(name);

    /// <summary>An account by name, unrestricted: for the application's own trusted code.</summary>
    public static InProcessIdentity Account(string name) => new AccountIdentity(name);

    /// <summary>The global account <c>$G</c>, unrestricted (the account of every client of a broker without accounts).</summary>
    public static InProcessIdentity GlobalAccount { get; } = new AccountIdentity(Configuration.AccountNames.Global);

    internal sealed record UserIdentity(string Name) : InProcessIdentity;

    internal sealed record AccountIdentity(string Name) : InProcessIdentity;
}
