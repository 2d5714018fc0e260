using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Protocol;

/// <summary>
/// The client's CONNECT JSON. Omitted fields keep nats-server's defaults (verbose, pedantic and
/// echo on); unknown fields are ignored; a field of the wrong type makes the CONNECT invalid.
/// </summary>
public sealed class ConnectOptions
{
    [JsonPropertyName("verbose")] public bool Verbose { get; set; } = true;
    [JsonPropertyName("pedantic")] public bool Pedantic { get; set; } = true;
    [JsonPropertyName("echo")] public bool Echo { get; set; } = true;
    [JsonPropertyName("headers")] public bool Headers { get; set; }
    [JsonPropertyName("no_responders")] public bool NoResponders { get; set; }
    [JsonPropertyName("tls_required")] public bool TlsRequired { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("lang")] public string? Lang { get; set; }
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("protocol")] public int Protocol { get; set; }
    [JsonPropertyName("user")] public string? User { get; set; }
    [JsonPropertyName("pass")] public string? Pass { get; set; }
    [JsonPropertyName("auth_token")] public string? AuthToken { get; set; }
    [JsonPropertyName("jwt")] public string? Jwt { get; set; }
    [JsonPropertyName("nkey")] public string? Nkey { get; set; }
    [JsonPropertyName("sig")] public string? Sig { get; set; }

    /// <summary>The options a client has before (or without) sending CONNECT.</summary>
    public static ConnectOptions Defaults => new();

    public static bool TryParse(ReadOnlySpan<byte> json, out ConnectOptions options)
    {
        try
        {
            options = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.ConnectOptions) ?? new ConnectOptions();
            return true;
        }
        catch (JsonException)
        {
            options = Defaults;
            return false;
        }
    }
}
