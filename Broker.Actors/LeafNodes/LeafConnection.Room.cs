using Broker.Links;

namespace Broker.LeafNodes;

public sealed partial class LeafConnection
{
    /// <summary>
    /// How long a publisher waits for a crowded link at most, each time, as for a cluster link: a
    /// link that drains slowly is still waited on (the far side pauses for its own subscribers), a
    /// stuck one is cut by write_deadline.
    /// </summary>
    private static readonly TimeSpan LinkPause = TimeSpan.FromSeconds(1);

    // Made in the constructor: the link's output must exist first.
    private readonly RoomWaiter _room;

    /// <summary>Completes once the unsent output fell to the resume mark, the link closed, or after <see cref="LinkPause"/>.</summary>
    public override Task WaitForRoomAsync() => _room.WaitAsync(LinkPause);

    /// <summary>The writer moved (or stopped): paused publishers go on once the output is down to the resume mark or the link closed.</summary>
    private void Progressed() => _room.Progressed();
}
