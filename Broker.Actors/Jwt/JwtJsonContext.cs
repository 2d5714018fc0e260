using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// Source-generated JSON for JWT headers and claims. Property names match case-insensitively
/// and unknown fields are ignored, as Go's encoding/json reads them; zero, false and null are
/// left out when writing, as Go's <c>omitempty</c> does.
/// </summary>
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(ClaimIdentifier))]
[JsonSerializable(typeof(OperatorClaims))]
[JsonSerializable(typeof(AccountClaims))]
[JsonSerializable(typeof(UserClaims))]
[JsonSerializable(typeof(ActivationClaims))]
[JsonSerializable(typeof(GenericClaims))]
[JsonSerializable(typeof(UserScope))]
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
internal sealed partial class JwtJsonContext : JsonSerializerContext;
