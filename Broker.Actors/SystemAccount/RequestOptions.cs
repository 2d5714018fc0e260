using System.Globalization;
using System.Text.Json.Serialization;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// nats-server's <c>EventFilterOptions</c>, which every <c>$SYS.REQ.SERVER</c> request body may carry:
/// a server that does not match stays silent, so a PING reaches only the servers it names.
/// </summary>
public class EventFilterOptions
{
    [JsonPropertyName("server_name")] public string? ServerName { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("host")] public string? Host { get; init; }
    [JsonPropertyName("tags")] public string[]? Tags { get; init; }
    [JsonPropertyName("domain")] public string? Domain { get; init; }

    /// <summary>
    /// nats-server's <c>filterRequest</c>, negated: names and hosts match by substring. This server
    /// has no cluster, tags or JetStream domain yet, so any of those filters excludes it.
    /// </summary>
    public bool Selects(ServerContext server) =>
        (string.IsNullOrEmpty(ServerName) || server.ServerName.Contains(ServerName, StringComparison.Ordinal))
        && (string.IsNullOrEmpty(Host) || server.Options.Host.Contains(Host, StringComparison.Ordinal))
        && string.IsNullOrEmpty(Cluster)
        && (Tags is null || Tags.Length == 0)
        && string.IsNullOrEmpty(Domain);
}

/// <summary>nats-server's <c>ConnzEventOptions</c>: /connz's query as JSON (<c>state</c> 0 open, 1 closed, 2 all).</summary>
public sealed class ConnzEventOptions : EventFilterOptions
{
    [JsonPropertyName("sort")] public string? Sort { get; init; }
    [JsonPropertyName("auth")] public bool Auth { get; init; }
    [JsonPropertyName("subscriptions")] public bool Subscriptions { get; init; }
    [JsonPropertyName("subscriptions_detail")] public bool SubscriptionsDetail { get; init; }
    [JsonPropertyName("offset")] public int Offset { get; init; }
    [JsonPropertyName("limit")] public int Limit { get; init; }
    [JsonPropertyName("cid")] public ulong Cid { get; init; }
    [JsonPropertyName("state")] public int State { get; init; }
    [JsonPropertyName("user")] public string? User { get; init; }
    [JsonPropertyName("acc")] public string? Account { get; init; }

    /// <summary>The same options as /connz query parameters, so the endpoint reads them as it reads HTTP.</summary>
    public IEnumerable<KeyValuePair<string, string>> AsQuery(string? account)
    {
        if (!string.IsNullOrEmpty(Sort)) yield return new("sort", Sort);
        if (Auth) yield return new("auth", "true");
        if (SubscriptionsDetail) yield return new("subs", "detail");
        else if (Subscriptions) yield return new("subs", "true");
        if (Offset != 0) yield return new("offset", Offset.ToString(CultureInfo.InvariantCulture));
        if (Limit != 0) yield return new("limit", Limit.ToString(CultureInfo.InvariantCulture));
        if (Cid != 0) yield return new("cid", Cid.ToString(CultureInfo.InvariantCulture));
        yield return new("state", State switch { 1 => "closed", 2 => "all", _ => "open" });
        if (!string.IsNullOrEmpty(User)) yield return new("user", User);
        // $SYS.REQ.ACCOUNT.<account>.CONNZ names the account in its subject, which wins over the body.
        var filter = account ?? Account;
        if (!string.IsNullOrEmpty(filter)) yield return new("acc", filter);
    }
}

/// <summary>nats-server's <c>SubszEventOptions</c>: /subsz's query as JSON.</summary>
public sealed class SubszEventOptions : EventFilterOptions
{
    [JsonPropertyName("offset")] public int Offset { get; init; }
    [JsonPropertyName("limit")] public int Limit { get; init; }
    [JsonPropertyName("subscriptions")] public bool Subscriptions { get; init; }
    [JsonPropertyName("account")] public string? Account { get; init; }
    [JsonPropertyName("test")] public string? Test { get; init; }

    /// <summary>As /subsz query parameters; an account request always lists that account's subscriptions, as nats-server does.</summary>
    public IEnumerable<KeyValuePair<string, string>> AsQuery(string? account)
    {
        if (Offset != 0) yield return new("offset", Offset.ToString(CultureInfo.InvariantCulture));
        if (Limit != 0) yield return new("limit", Limit.ToString(CultureInfo.InvariantCulture));
        if (Subscriptions || account is not null) yield return new("subs", "true");
        var filter = account ?? Account;
        if (!string.IsNullOrEmpty(filter)) yield return new("acc", filter);
        if (!string.IsNullOrEmpty(Test)) yield return new("test", Test);
    }
}
