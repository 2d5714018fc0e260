using System.Text.Json;
using System.Text.Json.Nodes;

namespace Broker.Tests.Infrastructure;

/// <summary>
/// A JSON document reduced to its keys (in order) and value kinds, for comparing with what
/// nats-server sends: the values themselves (ids, times, counts) differ between two servers.
/// </summary>
public static class JsonShape
{
    /// <summary>One line per key path; an array's distinct item shapes, sorted (lists differ in length and order).</summary>
    public static List<string> Of(JsonNode? node, string path = "")
    {
        var lines = new List<string>();
        switch (node)
        {
            case null:
                lines.Add($"{path}: null");
                break;
            case JsonObject obj:
                lines.Add($"{path}: object");
                foreach (var (key, value) in obj) lines.AddRange(Of(value, $"{path}.{key}"));
                break;
            case JsonArray array:
                lines.Add($"{path}: array");
                lines.AddRange(array.Select(item => string.Join("\n", Of(item, $"{path}[]"))).Distinct().Order(StringComparer.Ordinal));
                break;
            default:
                var kind = node.GetValueKind();
                lines.Add($"{path}: {(kind is JsonValueKind.True or JsonValueKind.False ? "Boolean" : kind.ToString())}");
                break;
        }
        return lines;
    }

    public static string Diff(IEnumerable<string> theirs, IEnumerable<string> mine) =>
        "only nats-server:\n  " + string.Join("\n  ", theirs.Except(mine)) + "\nonly ours:\n  " + string.Join("\n  ", mine.Except(theirs));
}
