using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>
/// A user's <c>src</c>: Go's <c>CIDRList</c> reads either a JSON array or one comma-separated
/// string (older tools wrote that), trimmed and lower-cased; it is written back as an array.
/// </summary>
internal sealed class CidrListConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var list = new List<string>();
                foreach (var part in reader.GetString()!.Split(','))
                {
                    var cidr = part.Trim().ToLowerInvariant();
                    if (cidr.Length > 0 && !list.Contains(cidr)) list.Add(cidr);
                }
                return list;
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String) throw new JsonException("src: expected strings");
                    items.Add(reader.GetString()!);
                }
                return items;
            default:
                throw new JsonException("src: expected an array or a string");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var cidr in value) writer.WriteStringValue(cidr);
        writer.WriteEndArray();
    }
}
