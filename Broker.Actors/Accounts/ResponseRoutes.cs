using System.Collections.Concurrent;
using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// An exporting account's pending service responses: <c>_R_.</c> reply subjects it handed to its
/// responders, each mapped back to the importer's requester. A singleton route is forgotten after
/// its response; stream and chunked routes after their response threshold; unanswered ones too.
/// Every subject starts with this node's own tag for the account (<c>_R_.TAG.</c>, as nats-server's
/// per-account reply prefix), so in a cluster one wildcard interest brings a response back here
/// from whichever node the responder is on.
/// </summary>
internal sealed class ResponseRoutes
{
    public static ReadOnlySpan<byte> Prefix => "_R_."u8;

    private const int TagLength = 6;
    private const int IdLength = 10;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly ConcurrentDictionary<byte[], ResponseRoute> _routes = new(ByteSequenceComparer.Instance);
    private readonly byte[] _tag = RandomTag();
    private int _count;

    /// <summary><c>_R_.TAG.&gt;</c>: every response subject this node hands out for the account.</summary>
    public byte[] Wildcard => [.. _tag, (byte)'>'];

    public int Count => Volatile.Read(ref _count);

    /// <summary>Registers a route and returns the reply subject to give the exporter's responders.</summary>
    public byte[] Add(Account importer, ReadOnlySpan<byte> reply, ExportOptions export, ServiceLatencyProbe? latency)
    {
        var subject = new byte[_tag.Length + IdLength];
        _tag.CopyTo(subject, 0);
        FillRandom(subject.AsSpan(_tag.Length));
        var route = new ResponseRoute(importer, reply.ToArray(), export.ResponseType,
            Environment.TickCount64 + (long)export.ResponseThreshold.TotalMilliseconds) { Latency = latency };
        if (_routes.TryAdd(subject, route)) Interlocked.Increment(ref _count);
        return subject;
    }

    /// <summary>The route for a response subject; a singleton route is taken out as it is found.</summary>
    public bool TryTake(ReadOnlySpan<byte> subject, out ResponseRoute route)
    {
        var lookup = _routes.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (!lookup.TryGetValue(subject, out route!)) return false;
        if (route.Type == ResponseType.Singleton && lookup.TryRemove(subject, out _, out _)) Interlocked.Decrement(ref _count);
        return true;
    }

    public void Remove(byte[] subject)
    {
        if (_routes.TryRemove(subject, out _)) Interlocked.Decrement(ref _count);
    }

    /// <summary>Forgets routes past their threshold; called periodically by the account's actor.</summary>
    public int Expire(long nowTicks)
    {
        var expired = 0;
        foreach (var (subject, route) in _routes)
        {
            if (route.ExpiresAtTicks > nowTicks) continue;
            if (_routes.TryRemove(subject, out _))
            {
                Interlocked.Decrement(ref _count);
                expired++;
            }
        }
        return expired;
    }

    private static byte[] RandomTag()
    {
        var tag = new byte[Prefix.Length + TagLength + 1];
        Prefix.CopyTo(tag);
        FillRandom(tag.AsSpan(Prefix.Length, TagLength));
        tag[^1] = (byte)'.';
        return tag;
    }

    private static void FillRandom(Span<byte> target)
    {
        for (var i = 0; i < target.Length; i++) target[i] = (byte)Alphabet[Random.Shared.Next(Alphabet.Length)];
    }
}
