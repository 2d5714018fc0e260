using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Monitoring;

/// <summary>
/// Source-generated JSON for the monitoring bodies, indented with two spaces as nats-server's
/// <c>json.MarshalIndent</c>. Text is not HTML-escaped, so values like <c>"281µs"</c> read as nats-server writes them.
/// </summary>
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(Varz))]
[JsonSerializable(typeof(Connz))]
[JsonSerializable(typeof(Subsz))]
[JsonSerializable(typeof(SublistStats))]
[JsonSerializable(typeof(Accountz))]
[JsonSerializable(typeof(Routez))]
[JsonSerializable(typeof(Gatewayz))]
[JsonSerializable(typeof(Leafz))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class MonitorJsonContext : JsonSerializerContext
{
    /// <summary>Indented, the shape of most endpoints.</summary>
    public static MonitorJsonContext Indented { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>One line, for /healthz.</summary>
    public static MonitorJsonContext Compact { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
