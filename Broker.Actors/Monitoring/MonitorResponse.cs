using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Broker.Monitoring;

/// <summary>What an endpoint answers: a status, a content type and the body bytes.</summary>
public sealed record MonitorResponse(int Status, string ContentType, byte[] Body)
{
    public const string JsonType = "application/json";

    /// <summary>Indented like nats-server's <c>json.MarshalIndent(v, "", "  ")</c>.</summary>
    public static MonitorResponse Json<T>(T value, JsonTypeInfo<T> type) =>
        new(200, JsonType, JsonSerializer.SerializeToUtf8Bytes(value, type));

    public static MonitorResponse Text(int status, string text) =>
        new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    /// <summary>Go's <c>http.NotFound</c>, byte for byte.</summary>
    public static MonitorResponse NotFound { get; } = Text(404, "404 page not found\n");
}
