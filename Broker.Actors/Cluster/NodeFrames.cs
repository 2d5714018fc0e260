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

    /// <summary>
    /// "I am leaving, and my clients are gone": sent by a stopping node after its last interest
    /// change. The receiver answers with <see cref="Drained"/> on its own connection to the sender.
    /// </summary>
    public const byte Leaving = 6;

    /// <summary>
    /// The answer to <see cref="Leaving"/>: the sender applied the leaving node's last interest and
    /// sent every batch it had for it before this frame, so nothing the leaving node must hand on
    /// is still on its way.
    /// </summary>
    public const byte Drained = 7;

    public static readonly byte[] LeavingFrame = [1, 0, 0, 0, Leaving];

    public static readonly byte[] DrainedFrame = [1, 0, 0, 0, Drained];

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
