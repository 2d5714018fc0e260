using Broker.Accounts;
using Broker.Links;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// Delivers the messages other nodes send into this node's accounts, to local subscribers only: a
/// plain message to every plain subscription, a queue message to one local member of its group.
/// One per data connection (used on its read loop), so each context serves one thread at a time.
/// On a data connection (<paramref name="pausesForRoom"/>) a batch that crowds a subscriber here
/// pauses the connection's reading while it drains (<see cref="WaitForRoom"/>), as a client
/// publisher pauses.
/// </summary>
internal sealed class InboundDelivery(AccountDirectory accounts, bool pausesForRoom = false)
{
    private readonly DeliveryContext _context = new(RemotePublisher.Instance) { FromOtherNode = true, InlineFlushes = 1, PausesForRoom = pausesForRoom };

    /// <summary>After <see cref="Deliver"/>: the pause the last batch asks for, null when none.</summary>
    public Task? WaitForRoom() => _context.HasCrowded ? _context.WaitForRoomAsync() : null;

    /// <summary>
    /// Delivers a batch; <paramref name="from"/>, the sender's route when known, counts it
    /// (monitoring). False when the account is not one of this node's: no node has interest from
    /// here in it, so the sender had no business sending it.
    /// </summary>
    public bool Deliver(ReadOnlySpan<byte> wire, ClusterRoute? from = null)
    {
        if (!accounts.TryGet(AccountPrefix.Read(wire, out var framesAt), out var account)) return false;
        var frames = wire[framesAt..];
        var offset = 0;
        var messages = 0;
        long bytes = 0;
        while (offset < frames.Length)
        {
            var frame = MessageFrames.Read(frames, ref offset);
            messages++;
            bytes += frame.HeadersAndPayload.Length;
            account.Publish(frame.Subject, frame.Reply, frame.HeadersAndPayload, frame.HeaderSize, _context, new FrameTargets(frame, SubscriberReach.Leaf));
        }
        _context.FlushTouched();
        from?.Received(messages, bytes);
        return true;
    }
}
