using System.Text.Json.Serialization;
using Broker.Clients;
using Broker.Protocol;

namespace Broker.SystemAccount;

/// <summary>
/// nats-server's <c>ClientInfo</c> in connect, disconnect and auth error advisories: who the client
/// is, never what secret it sent. Fields nats-server omits when empty are omitted here too.
/// </summary>
public sealed class EventClientInfo
{
    private const long NanosPerTick = 100;

    [JsonPropertyName("start")] public string Start { get; init; } = "";

    [JsonPropertyName("host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Host { get; init; }

    [JsonPropertyName("id")] public ulong Id { get; init; }
    [JsonPropertyName("acc")] public string Account { get; init; } = "";

    [JsonPropertyName("user"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("lang"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lang { get; init; }

    [JsonPropertyName("ver"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; init; }

    /// <summary>Round trip in nanoseconds (Go's <c>time.Duration</c>); only on disconnect and auth errors.</summary>
    [JsonPropertyName("rtt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Rtt { get; init; }

    [JsonPropertyName("stop"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stop { get; init; }

    [JsonPropertyName("kind")] public string Kind { get; init; } = "Client";
    [JsonPropertyName("client_type")] public string ClientType { get; init; } = "nats";

    /// <summary>
    /// A client as the advisories show it. <paramref name="connect"/> is what it sent in CONNECT
    /// (for a refused client, the options it tried); only the user or nkey name is taken from it.
    /// </summary>
    public static EventClientInfo Of(ClientConnection connection, ConnectOptions connect, DateTime? stop)
    {
        return new EventClientInfo
        {
            Start = Monitoring.GoFormat.Time(connection.Started),
            Host = connection.RemoteEndPoint?.Address.ToString(),
            Id = connection.Id,
            Account = connection.Account.Name,
            // nats-server's raw auth user: the nkey, else the user name; a token or password never.
            User = NullIfEmpty(connect.Nkey) ?? NullIfEmpty(connect.User) ?? NullIfEmpty(connection.User),
            Name = NullIfEmpty(connect.Name),
            Lang = NullIfEmpty(connect.Lang),
            Version = NullIfEmpty(connect.Version),
            Rtt = stop is null ? 0 : connection.RoundTrip.Ticks * NanosPerTick,
            Stop = stop is { } at ? Monitoring.GoFormat.Time(at) : null,
        };
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
