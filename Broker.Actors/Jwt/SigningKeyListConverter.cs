using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// Reads and writes <c>signing_keys</c>, whose items are either a key string or a scope object
/// (Go's <c>SigningKeys</c> JSON). A scope of an unknown kind is an error, as in Go.
/// </summary>
internal sealed class SigningKeyListConverter : JsonConverter<SigningKeyList>
{
    public override SigningKeyList? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("signing_keys: expected an array");
        var list = new SigningKeyList();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    list.Add(reader.GetString()!);
                    break;
                case JsonTokenType.StartObject:
                    var scope = JsonSerializer.Deserialize(ref reader, JwtJsonContext.Default.UserScope)
                        ?? throw new JsonException("signing_keys: null scope");
                    if (scope.Kind != UserScope.UserScopeKind && scope.Kind != "user_template")
                        throw new JsonException($"signing_keys: unknown signing key scope \"{scope.Kind}\"");
                    if (string.IsNullOrEmpty(scope.Key)) throw new JsonException("signing_keys: scope without a key");
                    list.Add(scope);
                    break;
                default:
                    throw new JsonException("signing_keys: expected strings or objects");
            }
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, SigningKeyList value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var key in value)
        {
            if (key.Scope is null) writer.WriteStringValue(key.Key);
            else JsonSerializer.Serialize(writer, key.Scope, JwtJsonContext.Default.UserScope);
        }
        writer.WriteEndArray();
    }
}
