using System.Buffers.Text;

namespace Broker.LeafNodes;

/// <summary>
/// Writes the leafnode protocol's frames: <c>LS+ subject [queue weight]</c>, <c>LS- subject [queue]</c>,
/// and the header line of <c>LMSG</c>/<c>HMSG</c> in its plain, reply and queue forms (nats-server's
/// <c>msgHeaderForRouteOrLeaf</c>). The writers fill a span and return how much they wrote.
/// </summary>
internal static class LeafFrames
{
    public static byte[] Interest(bool add, string subject, string? queue, int weight)
    {
        var text = add
            ? queue is null ? $"LS+ {subject}\r\n" : $"LS+ {subject} {queue} {weight}\r\n"
            : queue is null ? $"LS- {subject}\r\n" : $"LS- {subject} {queue}\r\n";
        return System.Text.Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The most a message header line can take, queues aside.</summary>
    public static int HeaderLength(int subject, int reply, int queues) => 5 + subject + 3 + reply + 1 + queues + 2 * 11 + 4;

    /// <summary>
    /// Writes a message's header line: <c>LMSG subject [reply] size</c> without queues,
    /// <c>LMSG subject + reply q… size</c> or <c>LMSG subject | q… size</c> with them (HMSG with a header size).
    /// </summary>
    public static int WriteHeader(
        Span<byte> into, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, IReadOnlyList<byte[]>? queues, int headerSize, int totalSize)
    {
        var at = 0;
        (headerSize >= 0 ? "HMSG "u8 : "LMSG "u8).CopyTo(into);
        at += 5;
        subject.CopyTo(into[at..]);
        at += subject.Length;
        if (queues is { Count: > 0 })
        {
            if (reply.IsEmpty)
            {
                " |"u8.CopyTo(into[at..]);
                at += 2;
            }
            else
            {
                " + "u8.CopyTo(into[at..]);
                at += 3;
                reply.CopyTo(into[at..]);
                at += reply.Length;
            }
            // Indexed: a foreach over the interface would box its enumerator per message.
            for (var i = 0; i < queues.Count; i++)
            {
                var queue = queues[i];
                into[at++] = (byte)' ';
                queue.CopyTo(into[at..]);
                at += queue.Length;
            }
        }
        else if (!reply.IsEmpty)
        {
            into[at++] = (byte)' ';
            reply.CopyTo(into[at..]);
            at += reply.Length;
        }
        into[at++] = (byte)' ';
        if (headerSize >= 0)
        {
            Utf8Formatter.TryFormat(headerSize, into[at..], out var written);
            at += written;
            into[at++] = (byte)' ';
        }
        Utf8Formatter.TryFormat(totalSize, into[at..], out var size);
        at += size;
        into[at++] = (byte)'\r';
        into[at++] = (byte)'\n';
        return at;
    }
}
