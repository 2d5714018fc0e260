using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>The JOSE header of a NATS JWT: <c>{"typ":"JWT","alg":"ed25519-nkey"}</c>.</summary>
internal sealed class JwtHeader
{
    /// <summary>The algorithm of current JWTs (the signature covers header and payload).</summary>
    public const string NKeyAlgorithm = "ed25519-nkey";

    /// <summary>The algorithm of version 1 JWTs, still accepted when reading.</summary>
    public const string LegacyAlgorithm = "ed25519";

    [JsonPropertyName("typ")] public string? Type { get; set; }
    [JsonPropertyName("alg")] public string? Algorithm { get; set; }

    /// <summary>Go's <c>Header.Valid</c>: type "JWT" in any case, algorithm one of ours in any case.</summary>
    public string? Problem()
    {
        if (!string.Equals(Type, "JWT", StringComparison.OrdinalIgnoreCase)) return $"not supported type \"{Type}\"";
        if (!string.Equals(Algorithm, NKeyAlgorithm, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(Algorithm, LegacyAlgorithm, StringComparison.OrdinalIgnoreCase))
            return $"unexpected \"{Algorithm}\" algorithm";
        return null;
    }
}
