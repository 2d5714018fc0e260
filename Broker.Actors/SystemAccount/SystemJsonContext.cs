using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.Monitoring;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// Source-generated JSON for the system account's messages: compact, as nats-server marshals them,
/// and text left unescaped (<c>"281µs"</c>) as Go writes it. Request options are read with Go's
/// case-insensitive field matching.
/// </summary>
[JsonSerializable(typeof(ConnectEvent))]
[JsonSerializable(typeof(LeafNodeConnectEvent))]
[JsonSerializable(typeof(ClaimsUpdateResponse))]
[JsonSerializable(typeof(DisconnectEvent))]
[JsonSerializable(typeof(AccountConnectionsEvent))]
[JsonSerializable(typeof(ServerStatsMessage))]
[JsonSerializable(typeof(ServerApiResponse<ServerStats>))]
[JsonSerializable(typeof(ServerApiResponse<Varz>))]
[JsonSerializable(typeof(ServerApiResponse<Connz>))]
[JsonSerializable(typeof(ServerApiResponse<Subsz>))]
[JsonSerializable(typeof(ServerApiResponse<Leafz>))]
[JsonSerializable(typeof(ServerApiResponse<List<string>>))]
[JsonSerializable(typeof(EventFilterOptions))]
[JsonSerializable(typeof(ConnzEventOptions))]
[JsonSerializable(typeof(SubszEventOptions))]
internal sealed partial class SystemJsonContext : JsonSerializerContext
{
    public static SystemJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = true,
    });
}
