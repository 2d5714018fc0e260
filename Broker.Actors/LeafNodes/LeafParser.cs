using System.Buffers.Text;
using System.Text;
using Broker.Protocol;

namespace Broker.LeafNodes;

/// <summary>
/// Parses nats-server's leafnode protocol from the start of a buffer, one operation per call:
/// <c>LS+ subject [queue weight]</c>, <c>LS- subject [queue]</c>, <c>LMSG subject [reply | + reply q… | \| q…] size</c>,
/// <c>HMSG</c> in the same forms with a header size, and the CONNECT/INFO/PING/PONG/+OK/-ERR of
/// the client protocol. Pure and allocation-free, like <see cref="ProtocolParser"/>.
/// </summary>
public static class LeafParser
{
    private const int MaxJsonLine = 1024 * 1024;
    private const int MaxTokens = 64;

    public static ParseResult TryParse(
        ReadOnlySpan<byte> buffer, int maxControlLine, int maxPayload, out LeafOperation op, out int consumed, out ParseError error)
    {
        op = default;
        op.HeaderSize = -1;
        consumed = 0;
        error = ParseError.None;

        var newline = buffer.IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (buffer.Length > MaxJsonLine || (buffer.Length > maxControlLine + 8 && !StartsWithJsonOp(buffer)))
            {
                error = ParseError.MaxControlLineExceeded;
                return ParseResult.Error;
            }
            return ParseResult.NeedMoreData;
        }
        var lineEnd = newline > 0 && buffer[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        var line = buffer[..lineEnd];
        var space = line.IndexOfAny((byte)' ', (byte)'\t');
        var name = space < 0 ? line : line[..space];
        var args = space < 0 ? ReadOnlySpan<byte>.Empty : line[(space + 1)..].Trim(" \t"u8);
        if (!Recognize(name, out var kind))
        {
            error = ParseError.UnknownOperation;
            return ParseResult.Error;
        }
        if (kind is not (LeafOperationKind.Connect or LeafOperationKind.Info) && args.Length > maxControlLine)
        {
            error = ParseError.MaxControlLineExceeded;
            return ParseResult.Error;
        }
        op.Kind = kind;
        var afterLine = newline + 1;
        switch (kind)
        {
            case LeafOperationKind.Connect or LeafOperationKind.Info:
                op.Arguments = args;
                break;
            case LeafOperationKind.Err:
                op.Arguments = args.Trim("'"u8);
                break;
            case LeafOperationKind.Subscribe or LeafOperationKind.Unsubscribe:
                if (!ParseInterest(args, kind == LeafOperationKind.Subscribe, ref op))
                {
                    error = ParseError.InvalidArguments;
                    return ParseResult.Error;
                }
                break;
            case LeafOperationKind.Message:
                if (!ParseMessageArgs(args, name.Length == 4 && (name[0] | 0x20) == 'h', ref op, out var total))
                {
                    error = ParseError.InvalidArguments;
                    return ParseResult.Error;
                }
                if (total > maxPayload)
                {
                    error = ParseError.MaxPayloadExceeded;
                    return ParseResult.Error;
                }
                if (buffer.Length < afterLine + total + 2) return ParseResult.NeedMoreData;
                op.Payload = buffer.Slice(afterLine, total);
                if (buffer[afterLine + total] != (byte)'\r' || buffer[afterLine + total + 1] != (byte)'\n')
                {
                    error = ParseError.UnknownOperation;
                    return ParseResult.Error;
                }
                afterLine += total + 2;
                break;
        }
        consumed = afterLine;
        return ParseResult.Operation;
    }

    private static bool StartsWithJsonOp(ReadOnlySpan<byte> buffer) =>
        buffer.Length >= 5 && (Ascii.EqualsIgnoreCase(buffer[..5], "INFO "u8) || (buffer.Length >= 8 && Ascii.EqualsIgnoreCase(buffer[..8], "CONNECT "u8)));

    private static bool Recognize(ReadOnlySpan<byte> name, out LeafOperationKind kind)
    {
        kind = default;
        if (Ascii.EqualsIgnoreCase(name, "LMSG"u8) || Ascii.EqualsIgnoreCase(name, "HMSG"u8)) kind = LeafOperationKind.Message;
        else if (Ascii.EqualsIgnoreCase(name, "LS+"u8)) kind = LeafOperationKind.Subscribe;
        else if (Ascii.EqualsIgnoreCase(name, "LS-"u8)) kind = LeafOperationKind.Unsubscribe;
        else if (Ascii.EqualsIgnoreCase(name, "PING"u8)) kind = LeafOperationKind.Ping;
        else if (Ascii.EqualsIgnoreCase(name, "PONG"u8)) kind = LeafOperationKind.Pong;
        else if (Ascii.EqualsIgnoreCase(name, "CONNECT"u8)) kind = LeafOperationKind.Connect;
        else if (Ascii.EqualsIgnoreCase(name, "INFO"u8)) kind = LeafOperationKind.Info;
        else if (Ascii.EqualsIgnoreCase(name, "+OK"u8)) kind = LeafOperationKind.Ok;
        else if (Ascii.EqualsIgnoreCase(name, "-ERR"u8)) kind = LeafOperationKind.Err;
        else return false;
        return true;
    }

    /// <summary><c>subject [queue [weight]]</c>; the key is the arguments up to the queue, as nats-server keys its leaf smap.</summary>
    private static bool ParseInterest(ReadOnlySpan<byte> args, bool subscribe, ref LeafOperation op)
    {
        Span<Range> tokens = stackalloc Range[4];
        var count = Split(args, tokens);
        if (count is < 1 or > 3) return false;
        op.Subject = args[tokens[0]];
        op.Key = op.Subject;
        if (count >= 2)
        {
            op.Queues = args[tokens[1]];
            op.Key = args[tokens[0].Start..tokens[1].End];
            if (count == 3)
            {
                if (!subscribe || !Utf8Parser.TryParse(args[tokens[2]], out int weight, out var used) || used != args[tokens[2]].Length || weight < 0) return false;
                op.Weight = weight;
            }
            else if (subscribe)
            {
                op.Weight = 1;
            }
        }
        return true;
    }

    /// <summary>The LMSG/HMSG arguments after the subject: <c>[reply | + reply q… | \| q…] [hdr] size</c>.</summary>
    private static bool ParseMessageArgs(ReadOnlySpan<byte> args, bool headers, ref LeafOperation op, out int total)
    {
        total = 0;
        Span<Range> tokens = stackalloc Range[MaxTokens];
        var count = Split(args, tokens);
        var sizes = headers ? 2 : 1;
        if (count < 1 + sizes || count == MaxTokens) return false;
        op.Subject = args[tokens[0]];
        if (!Utf8Parser.TryParse(args[tokens[count - 1]], out total, out var used) || used != args[tokens[count - 1]].Length || total < 0) return false;
        if (headers)
        {
            if (!Utf8Parser.TryParse(args[tokens[count - 2]], out int header, out used) || used != args[tokens[count - 2]].Length || header < 0 || header > total) return false;
            op.HeaderSize = header;
        }
        var middle = count - 1 - sizes;
        if (middle == 0) return true;
        var first = args[tokens[1]];
        if (first is [(byte)'+'])
        {
            if (middle < 2) return false;
            op.Reply = args[tokens[2]];
            if (middle > 2) op.Queues = args[tokens[3].Start..tokens[count - 1 - sizes].End];
            return true;
        }
        if (first is [(byte)'|'])
        {
            if (middle < 2) return false;
            op.Queues = args[tokens[2].Start..tokens[count - 1 - sizes].End];
            return true;
        }
        if (middle != 1) return false;
        op.Reply = first;
        return true;
    }

    private static int Split(ReadOnlySpan<byte> args, Span<Range> tokens)
    {
        var count = 0;
        var i = 0;
        while (i < args.Length && count < tokens.Length)
        {
            while (i < args.Length && args[i] is (byte)' ' or (byte)'\t') i++;
            if (i == args.Length) break;
            var start = i;
            while (i < args.Length && args[i] is not ((byte)' ' or (byte)'\t')) i++;
            tokens[count++] = start..i;
        }
        return count;
    }
}
