using System.Text.Json.Serialization;

namespace Broker.SystemAccount;

/// <summary>
/// <c>$SYS.ACCOUNT.&lt;acc&gt;.LEAFNODE.CONNECT</c> (nats-server's <c>accNumConnsReq</c>): a leaf
/// connected to this hub in that account, so the other regions of a supercluster send the
/// account's messages by interest only.
/// </summary>
public sealed class LeafNodeConnectEvent
{
    [JsonPropertyName("server")] public EventServerInfo Server { get; init; } = new();
    [JsonPropertyName("acc")] public string Account { get; init; } = "";
}
