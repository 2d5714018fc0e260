namespace Broker.SystemAccount;

/// <summary>The system account's subjects, as nats-server 2.9 names them (server/events.go).</summary>
public static class SystemSubjects
{
    public static string Connect(string account) => $"$SYS.ACCOUNT.{account}.CONNECT";
    public static string Disconnect(string account) => $"$SYS.ACCOUNT.{account}.DISCONNECT";

    /// <summary>Where account connection counts go; nats-server sends each on both subjects.</summary>
    public static string Connections(string account) => $"$SYS.ACCOUNT.{account}.SERVER.CONNS";

    /// <summary>The older name of <see cref="Connections"/>, kept by nats-server for backward compatibility.</summary>
    public static string ConnectionsOld(string account) => $"$SYS.SERVER.ACCOUNT.{account}.CONNS";

    public static string Statsz(string serverId) => $"$SYS.SERVER.{serverId}.STATSZ";
    public static string AuthError(string serverId) => $"$SYS.SERVER.{serverId}.CLIENT.AUTH.ERR";

    /// <summary>The server requests answered here: statsz, /varz, /connz, /subsz and /leafz data.</summary>
    public static readonly string[] ServerRequestKinds = ["STATSZ", "VARZ", "CONNZ", "SUBSZ", "LEAFZ"];

    /// <summary>Asked of one server only (not of every server through <c>$SYS.REQ.SERVER.PING.*</c>): reload its configuration.</summary>
    public const string ReloadKind = "RELOAD";

    /// <summary>The account requests answered here: that account's connections and subscriptions.</summary>
    public static readonly string[] AccountRequestKinds = ["CONNZ", "SUBSZ"];

    private const string PingAll = "$SYS.REQ.SERVER.PING";
    private const string ServerRequestPrefix = "$SYS.REQ.SERVER.";
    private const string AccountRequestPrefix = "$SYS.REQ.ACCOUNT.";

    /// <summary>Account JWT updates (operator mode): to any server, or to the one account named in the subject.</summary>
    public const string ClaimsUpdate = "$SYS.REQ.CLAIMS.UPDATE";
    public const string AccountClaimsUpdate = "$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE";

    /// <summary>Every subject the system account's internal client subscribes to.</summary>
    public static IEnumerable<string> Requests(string serverId)
    {
        yield return PingAll;
        foreach (var kind in ServerRequestKinds)
        {
            yield return $"{PingAll}.{kind}";
            yield return $"{ServerRequestPrefix}{serverId}.{kind}";
        }
        yield return $"{ServerRequestPrefix}{serverId}.{ReloadKind}";
        foreach (var kind in AccountRequestKinds) yield return $"{AccountRequestPrefix}*.{kind}";
    }

    /// <summary>
    /// What a request subject asks: the kind (<c>STATSZ</c>, <c>VARZ</c>, ...) and, for
    /// <c>$SYS.REQ.ACCOUNT.&lt;account&gt;.&lt;kind&gt;</c>, the account. The bare PING asks for statsz.
    /// </summary>
    public static bool TryParseRequest(string subject, out string kind, out string? account)
    {
        kind = "";
        account = null;
        if (subject == PingAll)
        {
            kind = "STATSZ";
            return true;
        }
        var tokens = subject.Split('.');
        if (tokens.Length != 5 || tokens[0] != "$SYS" || tokens[1] != "REQ") return false;
        kind = tokens[4];
        if (tokens[2] == "SERVER") return true;
        if (tokens[2] != "ACCOUNT") return false;
        account = tokens[3];
        return true;
    }
}
