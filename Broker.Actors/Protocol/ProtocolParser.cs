using System.Buffers.Text;

namespace Broker.Protocol;

/// <summary>
/// Parses the NATS client protocol from the start of a byte buffer, one operation per call.
/// Pure and allocation-free: the result is slices of the input. Frames split anywhere simply
/// yield <see cref="ParseResult.NeedMoreData"/> until the rest arrives.
/// </summary>
public static class ProtocolParser
{
    private const int MaxArguments = 5;

    public static ParseResult TryParse(
        ReadOnlySpan<byte> buffer,
        int maxControlLine,
        int maxPayload,
        out ParsedOperation op,
        out int consumed,
        out ParseError error)
    {
        op = default;
        consumed = 0;
        error = ParseError.None;

        var name = RecognizeOperation(buffer, out var kind, out var nameLength);
        if (name != ParseResult.Operation)
        {
            if (name == ParseResult.Error) error = ParseError.UnknownOperation;
            return name;
        }

        // CONNECT too (nats-server's rule): it arrives before authentication, so it may not hold more
        // than a control line of memory. A deployment with large user JWTs raises max_control_line.
        var lineLimit = maxControlLine;
        var newline = buffer.IndexOf((byte)'\n');
        if (newline < 0)
        {
            // The arguments can only get longer: refuse as soon as they cannot fit.
            if (buffer.Length - nameLength > lineLimit + 1)
            {
                error = ParseError.MaxControlLineExceeded;
                return ParseResult.Error;
            }
            return ParseResult.NeedMoreData;
        }

        var lineEnd = newline > 0 && buffer[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        var line = buffer[..lineEnd];
        var args = nameLength <= line.Length ? line[nameLength..] : ReadOnlySpan<byte>.Empty;
        if (args.Length > lineLimit)
        {
            error = ParseError.MaxControlLineExceeded;
            return ParseResult.Error;
        }

        op.Kind = kind;
        op.ControlLine = line;
        var afterLine = newline + 1;

        switch (kind)
        {
            case OperationKind.Ping:
            case OperationKind.Pong:
            case OperationKind.Ok:
                consumed = afterLine;
                return ParseResult.Operation;

            case OperationKind.Connect:
            case OperationKind.Info:
            case OperationKind.Err:
                op.Arguments = args.Trim(" \t"u8);
                if (kind == OperationKind.Connect && op.Arguments.IsEmpty)
                {
                    error = ParseError.InvalidArguments;
                    return ParseResult.Error;
                }
                consumed = afterLine;
                return ParseResult.Operation;

            case OperationKind.Sub:
                return ParseSub(args, afterLine, ref op, out consumed, out error);

            case OperationKind.Unsub:
                return ParseUnsub(args, afterLine, ref op, out consumed, out error);

            default:
                return ParsePub(buffer, args, afterLine, maxPayload, ref op, out consumed, out error);
        }
    }

    private static ParseResult ParsePub(
        ReadOnlySpan<byte> buffer,
        ReadOnlySpan<byte> args,
        int afterLine,
        int maxPayload,
        ref ParsedOperation op,
        out int consumed,
        out ParseError error)
    {
        consumed = 0;
        error = ParseError.InvalidArguments;
        Span<Range> parts = stackalloc Range[MaxArguments];
        var count = SplitArguments(args, parts);
        var headers = op.Kind == OperationKind.HPub;
        var sizes = headers ? 2 : 1;
        if (count != sizes + 1 && count != sizes + 2) return ParseResult.Error;

        op.Subject = args[parts[0]];
        if (count == sizes + 2) op.Reply = args[parts[1]];
        if (!TryParseSize(args[parts[count - 1]], out var total)) return ParseResult.Error;
        op.HeaderSize = -1;
        if (headers)
        {
            if (!TryParseSize(args[parts[count - 2]], out var headerSize) || headerSize > total)
                return ParseResult.Error;
            op.HeaderSize = headerSize;
        }

        if (total > maxPayload)
        {
            error = ParseError.MaxPayloadExceeded;
            return ParseResult.Error;
        }

        error = ParseError.None;
        var frameEnd = afterLine + total + 2;
        // The payload's CR is checked as soon as it arrives, as nats-server does: a payload ended by
        // LF alone is refused at once instead of waiting for a CRLF that may never come.
        if (buffer.Length == frameEnd - 1 && buffer[frameEnd - 2] != (byte)'\r')
        {
            error = ParseError.UnknownOperation;
            return ParseResult.Error;
        }
        if (buffer.Length < frameEnd) return ParseResult.NeedMoreData;
        if (buffer[frameEnd - 2] != (byte)'\r' || buffer[frameEnd - 1] != (byte)'\n')
        {
            error = ParseError.UnknownOperation;
            return ParseResult.Error;
        }

        op.Payload = buffer.Slice(afterLine, total);
        consumed = frameEnd;
        return ParseResult.Operation;
    }

    private static ParseResult ParseSub(
        ReadOnlySpan<byte> args, int afterLine, ref ParsedOperation op, out int consumed, out ParseError error)
    {
        consumed = 0;
        Span<Range> parts = stackalloc Range[MaxArguments];
        var count = SplitArguments(args, parts);
        if (count is not (2 or 3))
        {
            error = ParseError.InvalidArguments;
            return ParseResult.Error;
        }

        op.Subject = args[parts[0]];
        if (count == 3) op.Queue = args[parts[1]];
        op.Sid = args[parts[count - 1]];
        error = ParseError.None;
        consumed = afterLine;
        return ParseResult.Operation;
    }

    private static ParseResult ParseUnsub(
        ReadOnlySpan<byte> args, int afterLine, ref ParsedOperation op, out int consumed, out ParseError error)
    {
        consumed = 0;
        Span<Range> parts = stackalloc Range[MaxArguments];
        var count = SplitArguments(args, parts);
        if (count is not (1 or 2))
        {
            error = ParseError.InvalidArguments;
            return ParseResult.Error;
        }

        op.Sid = args[parts[0]];
        // nats-server treats an unreadable or non-positive max as "unsubscribe now".
        if (count == 2 && Utf8Parser.TryParse(args[parts[1]], out long max, out var used) && used == args[parts[1]].Length && max > 0)
            op.Max = max;
        error = ParseError.None;
        consumed = afterLine;
        return ParseResult.Operation;
    }

    /// <summary>Splits on runs of spaces and tabs; returns how many parts (more than the span holds counts as too many).</summary>
    private static int SplitArguments(ReadOnlySpan<byte> args, Span<Range> parts)
    {
        var count = 0;
        var i = 0;
        while (i < args.Length)
        {
            while (i < args.Length && (args[i] == (byte)' ' || args[i] == (byte)'\t')) i++;
            if (i == args.Length) break;
            var start = i;
            while (i < args.Length && args[i] != (byte)' ' && args[i] != (byte)'\t') i++;
            if (count == parts.Length) return count + 1;
            parts[count++] = new Range(start, i);
        }
        return count;
    }

    private static bool TryParseSize(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 10) return false;
        long v = 0;
        foreach (var b in text)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9) return false;
            v = v * 10 + digit;
        }
        if (v > int.MaxValue) return false;
        value = (int)v;
        return true;
    }

    /// <summary>
    /// Matches the operation name case-insensitively, byte by byte as nats-server does, so garbage
    /// is refused at its first wrong byte instead of after a whole line.
    /// </summary>
    private static ParseResult RecognizeOperation(ReadOnlySpan<byte> buffer, out OperationKind kind, out int nameLength)
    {
        kind = OperationKind.None;
        nameLength = 0;
        if (buffer.IsEmpty) return ParseResult.NeedMoreData;

        ReadOnlySpan<byte> name;
        var needsSpace = true;
        // Only letters fold with | 0x20; '+' and '-' must match exactly.
        var first = buffer[0] is (byte)'+' or (byte)'-' ? buffer[0] : buffer[0] | 0x20;
        switch (first)
        {
            case 'c': name = "CONNECT"u8; kind = OperationKind.Connect; needsSpace = false; break;
            case 'h': name = "HPUB"u8; kind = OperationKind.HPub; break;
            case 's': name = "SUB"u8; kind = OperationKind.Sub; break;
            case 'u': name = "UNSUB"u8; kind = OperationKind.Unsub; break;
            case 'i': name = "INFO"u8; kind = OperationKind.Info; break;
            case '+': name = "+OK"u8; kind = OperationKind.Ok; needsSpace = false; break;
            case '-': name = "-ERR"u8; kind = OperationKind.Err; needsSpace = false; break;
            case 'p':
                if (buffer.Length < 2) return ParseResult.NeedMoreData;
                switch (buffer[1] | 0x20)
                {
                    case 'u': name = "PUB"u8; kind = OperationKind.Pub; break;
                    case 'i':
                    case 'o':
                        if (buffer.Length < 3) return ParseResult.NeedMoreData;
                        if ((buffer[2] | 0x20) != 'n') return ParseResult.Error;
                        if (buffer.Length < 4) return ParseResult.NeedMoreData;
                        if ((buffer[3] | 0x20) != 'g') return ParseResult.Error;
                        kind = (buffer[1] | 0x20) == 'i' ? OperationKind.Ping : OperationKind.Pong;
                        nameLength = 4;
                        return ParseResult.Operation;
                    default: return ParseResult.Error;
                }
                break;
            default: return ParseResult.Error;
        }

        var available = Math.Min(buffer.Length, name.Length);
        for (var i = 1; i < available; i++)
        {
            if ((buffer[i] | 0x20) != (name[i] | 0x20)) return ParseResult.Error;
        }
        if (buffer.Length < name.Length + 1) return ParseResult.NeedMoreData;

        var next = buffer[name.Length];
        var isSpace = next == (byte)' ' || next == (byte)'\t';
        if (needsSpace && !isSpace) return ParseResult.Error;
        if (kind == OperationKind.Connect && !isSpace && next != (byte)'\r' && next != (byte)'\n')
            return ParseResult.Error;
        nameLength = name.Length;
        return ParseResult.Operation;
    }
}
