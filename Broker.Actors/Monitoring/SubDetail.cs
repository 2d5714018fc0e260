using System.Text.Json.Serialization;
using Broker.Clients;

namespace Broker.Monitoring;

/// <summary>One subscription as /connz?subs=detail and /subsz?subs=1 show it (nats-server's <c>SubDetail</c>).</summary>
public sealed class SubDetail
{
    [JsonPropertyName("account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Account { get; init; }

    [JsonPropertyName("subject")] public string Subject { get; init; } = "";

    [JsonPropertyName("qgroup"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Queue { get; init; }

    [JsonPropertyName("sid")] public string Sid { get; init; } = "";

    /// <summary>Messages delivered (claimed) for this subscription.</summary>
    [JsonPropertyName("msgs")] public long Msgs { get; init; }

    // nats-server's "max" (the UNSUB limit) is not shown: the limit is private to Subscription.

    [JsonPropertyName("cid")] public ulong Cid { get; init; }

    /// <summary>The detail of a subscription owned by connection <paramref name="cid"/>; the account only when asked (/subsz).</summary>
    public static SubDetail Of(SubscriptionSnapshot subscription, ulong cid, string? account = null) => new()
    {
        Account = account,
        Subject = subscription.Subject,
        Queue = subscription.Queue,
        Sid = subscription.Sid,
        Msgs = subscription.Msgs,
        Cid = cid,
    };
}
