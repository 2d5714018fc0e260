using Broker.Clients;

namespace Broker.Tests.Monitoring;

public class ClosedConnectionsTests
{
    [Fact]
    public void The_ring_keeps_the_newest_in_order_and_forgets_the_oldest()
    {
        var ring = new ClosedConnections(capacity: 3);
        for (ulong cid = 1; cid <= 5; cid++) ring.Add(Closed(cid));

        Assert.Equal([3UL, 4UL, 5UL], ring.ToArray().Select(c => c.Cid));
    }

    [Fact]
    public void A_ring_not_yet_full_lists_what_it_has()
    {
        var ring = new ClosedConnections(capacity: 3);
        Assert.Empty(ring.ToArray());
        ring.Add(Closed(7));
        Assert.Equal([7UL], ring.ToArray().Select(c => c.Cid));
    }

    private static ConnectionSnapshot Closed(ulong cid) => new(
        cid, "127.0.0.1", 1, DateTime.UtcNow, DateTime.UtcNow, DateTime.UtcNow, "Client Closed", TimeSpan.Zero, 0,
        default(Traffic), [], null, null, null, null, "$G");
}
