using System.Text.Json.Serialization;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>
/// The registered claims every NATS JWT carries (Go's <c>ClaimsData</c>); the kind-specific part
/// is the <c>nats</c> object of each subclass. Absent numbers read as 0, as Go's library decodes
/// them, and 0 means "not set" for <c>exp</c>, <c>nbf</c> and <c>iat</c>.
/// </summary>
public abstract class JwtClaims
{
    [JsonPropertyName("aud")] public string? Audience { get; set; }
    [JsonPropertyName("exp")] public long Expires { get; set; }
    [JsonPropertyName("jti")] public string? Id { get; set; }
    [JsonPropertyName("iat")] public long IssuedAt { get; set; }
    [JsonPropertyName("iss")] public string? Issuer { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("nbf")] public long NotBefore { get; set; }
    [JsonPropertyName("sub")] public string? Subject { get; set; }

    /// <summary>Where version 1 JWTs named their kind; version 2 puts it in <c>nats.type</c>.</summary>
    [JsonPropertyName("type")] public string? LegacyType { get; set; }

    /// <summary>The kind of claims ("operator", "account", "user", "activation", or another for generic claims).</summary>
    [JsonIgnore] public abstract string ClaimType { get; }

    /// <summary>The JWT format version: 1 for legacy tokens (kind at the top level), otherwise <c>nats.version</c>.</summary>
    [JsonIgnore] public int Version => LegacyType is not null ? 1 : Payload.Version;

    /// <summary>The <c>nats</c> object.</summary>
    [JsonIgnore] public abstract ClaimPayload Payload { get; }

    /// <summary>The roles allowed to sign this kind of claims; empty when any key may.</summary>
    [JsonIgnore] internal abstract ReadOnlySpan<NKeyType> IssuerTypes { get; }

    /// <summary>The role the subject must have when encoding, or null when any key will do.</summary>
    [JsonIgnore] internal abstract NKeyType? SubjectType { get; }

    /// <summary>The claims as JSON, through the source-generated serializer of the concrete class.</summary>
    internal abstract byte[] ToUtf8Json();

    /// <summary>True when the claims were signed by their own subject (operators, self-signed accounts).</summary>
    [JsonIgnore] public bool IsSelfSigned => Issuer == Subject;

    /// <summary>Past <c>exp</c> at <paramref name="now"/> (the expiry second itself is still valid, as in Go).</summary>
    public bool IsExpiredAt(DateTimeOffset now) => Expires > 0 && now.ToUnixTimeSeconds() > Expires;

    /// <summary>Before <c>nbf</c> at <paramref name="now"/>.</summary>
    public bool IsNotYetValidAt(DateTimeOffset now) => NotBefore > 0 && NotBefore > now.ToUnixTimeSeconds();

    /// <summary>Neither expired nor not yet valid at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now) => !IsExpiredAt(now) && !IsNotYetValidAt(now);
}
