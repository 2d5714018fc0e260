namespace Broker.SystemAccount;

/// <summary>What a request on one of the built-in resolver's subjects asks.</summary>
public enum ClaimsRequestKind
{
    Update,
    Lookup,
    List,
    Delete,
    Pack,
}

/// <summary>
/// The resolver's subjects, as nats-server 2.9 names them (events.go): which ones a server
/// subscribes depends on its resolver, as there.
/// </summary>
public static class ClaimsSubjects
{
    public const string List = "$SYS.REQ.CLAIMS.LIST";
    public const string Delete = "$SYS.REQ.CLAIMS.DELETE";
    public const string Pack = "$SYS.REQ.CLAIMS.PACK";
    public const string AccountLookup = "$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP";

    /// <summary>The update subject older tools (nsc before 2.2) publish to.</summary>
    public const string LegacyAccountUpdate = "$SYS.ACCOUNT.*.CLAIMS.UPDATE";

    public static string Lookup(string account) => $"$SYS.REQ.ACCOUNT.{account}.CLAIMS.LOOKUP";

    /// <summary>The subjects a server with this resolver answers.</summary>
    public static IEnumerable<string> For(Configuration.ResolverKind kind) => kind switch
    {
        Configuration.ResolverKind.Full =>
            [SystemSubjects.ClaimsUpdate, SystemSubjects.AccountClaimsUpdate, LegacyAccountUpdate, AccountLookup, List, Delete, Pack],
        Configuration.ResolverKind.Cache => [SystemSubjects.ClaimsUpdate, SystemSubjects.AccountClaimsUpdate, LegacyAccountUpdate, List, Delete],
        Configuration.ResolverKind.Url => [SystemSubjects.AccountClaimsUpdate, LegacyAccountUpdate],
        _ => [SystemSubjects.ClaimsUpdate, SystemSubjects.AccountClaimsUpdate],
    };

    /// <summary>The kind of a resolver request, and the account named in the subject (if any).</summary>
    public static bool TryParse(string subject, out ClaimsRequestKind kind, out string? account)
    {
        account = null;
        kind = default;
        switch (subject)
        {
            case SystemSubjects.ClaimsUpdate:
                kind = ClaimsRequestKind.Update;
                return true;
            case List:
                kind = ClaimsRequestKind.List;
                return true;
            case Delete:
                kind = ClaimsRequestKind.Delete;
                return true;
            case Pack:
                kind = ClaimsRequestKind.Pack;
                return true;
        }
        var tokens = subject.Split('.');
        switch (tokens)
        {
            case ["$SYS", "REQ", "ACCOUNT", var id, "CLAIMS", "UPDATE"]:
                kind = ClaimsRequestKind.Update;
                account = id;
                return true;
            case ["$SYS", "ACCOUNT", var legacyId, "CLAIMS", "UPDATE"]:
                kind = ClaimsRequestKind.Update;
                account = legacyId;
                return true;
            case ["$SYS", "REQ", "ACCOUNT", var id, "CLAIMS", "LOOKUP"]:
                kind = ClaimsRequestKind.Lookup;
                account = id;
                return true;
            default:
                return false;
        }
    }
}
