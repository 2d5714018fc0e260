using System.Text;

namespace Broker.Clients;

/// <summary>
/// The error-level log line for a line the parser refused, in nats-server's words
/// (<c>processPub Parse Error: "foo"</c>), so operators grepping for them find them.
/// </summary>
internal static class ParseErrorText
{
    public static string Describe(ReadOnlySpan<byte> input)
    {
        var newline = input.IndexOf((byte)'\n');
        var line = newline >= 0 ? input[..newline] : input;
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        var space = line.IndexOfAny((byte)' ', (byte)'\t');
        var name = Encoding.ASCII.GetString(space >= 0 ? line[..space] : line).ToUpperInvariant();
        var args = space >= 0 ? Encoding.ASCII.GetString(line[(space + 1)..]).Trim(' ', '\t') : "";
        var function = name switch
        {
            "PUB" => "processPub",
            "HPUB" => "processHeaderPub",
            "SUB" => "processSub",
            "UNSUB" => "processUnsub",
            _ => null,
        };
        if (function is null) return $"Client parser ERROR: proto='{Quote(Encoding.ASCII.GetString(line))}'";
        // A PUB with the right number of arguments failed on its size: nats-server says which.
        var problem = name == "PUB" && args.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length is 2 or 3
            ? "Bad or Missing Size"
            : "Parse Error";
        return $"{function} {problem}: \"{Quote(args)}\"";
    }

    // Go's %q escapes quotes and backslashes; the rest of a control line is printable ASCII.
    private static string Quote(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
