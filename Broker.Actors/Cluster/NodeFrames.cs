using Broker.Links;

namespace Broker.Cluster;

/// <summary>
/// The frames on a node's data connection to a peer, in the framing every link shares
/// (<see cref="LinkFrames"/>): who is sending, its whole interest, then its interest changes
/// and its message batches, in the order they happened on the sending node.
/// </summary>
internal static class NodeFrames
{
    /// <summary>The ticket the receiver gave the sender in its Hello: it tells the receiver which admitted member this connection is (see <see cref="NodeAdmission"/>).</summary>
    public const byte Introduce = 1;

    /// <summary>The sender's whole interest: it replaces whatever the receiver held from that node.</summary>
    public const byte Snapshot = 2;

    /// <summary>Interest the sender gained and lost since.</summary>
    public const byte Interest = 3;

    /// <summary>A batch: the account's name, then its messages (<see cref="MessageFrames"/>).</summary>
    public const byte Messages = LinkFrames.Messages;

    public static byte[] EncodeIntroduce(string ticket) => LinkFrames.Control(Introduce, w => w.Write(ticket));

    public static string DecodeIntroduce(ReadOnlySpan<byte> body)
    {
        using var r = LinkFrames.Reader(body);
        return r.ReadString();
    }

    public static byte[] EncodeSnapshot(IReadOnlyList<InterestEntry> interest) => LinkFrames.Control(Snapshot, w =>
    {
        ClusterMessageSerializer.WriteEntries(w, interest);
        ClusterMessageSerializer.WriteEntries(w, []);
    });

    public static byte[] EncodeInterest(IReadOnlyList<InterestEntry> added, IReadOnlyList<InterestEntry> removed) => LinkFrames.Control(Interest, w =>
    {
        ClusterMessageSerializer.WriteEntries(w, added);
        ClusterMessageSerializer.WriteEntries(w, removed);
    });

    /// <summary>A <see cref="Snapshot"/> or <see cref="Interest"/> body (a snapshot removes nothing).</summary>
    public static (InterestEntry[] Added, InterestEntry[] Removed) DecodeInterest(ReadOnlySpan<byte> body)
    {
        using var r = LinkFrames.Reader(body);
        return (ClusterMessageSerializer.ReadEntries(r), ClusterMessageSerializer.ReadEntries(r));
    }
}
