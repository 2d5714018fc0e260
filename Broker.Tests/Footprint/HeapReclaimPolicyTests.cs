using Broker.Server;
using Xunit;

namespace Broker.Tests.Footprint;

public class HeapReclaimPolicyTests
{
    private const long Mb = 1024 * 1024;

    [Fact]
    public void A_heap_grown_by_a_burst_is_reclaimed_once_the_server_has_been_quiet_for_a_whole_interval()
    {
        var policy = new HeapReclaimPolicy(20 * Mb);
        Assert.False(policy.ShouldReclaim(300 * Mb, activity: 1_000)); // first look: nothing to compare with yet
        Assert.True(policy.ShouldReclaim(300 * Mb, activity: 1_000));
    }

    [Fact]
    public void Never_while_traffic_moves_however_large_the_heap()
    {
        var policy = new HeapReclaimPolicy(20 * Mb);
        for (var activity = 0; activity < 10; activity++) Assert.False(policy.ShouldReclaim(500 * Mb, activity));
    }

    [Fact]
    public void Growth_below_the_threshold_is_left_to_the_GC()
    {
        var policy = new HeapReclaimPolicy(20 * Mb);
        policy.ShouldReclaim(20 * Mb + HeapReclaimPolicy.MinGrowthBytes, activity: 5);
        Assert.False(policy.ShouldReclaim(20 * Mb + HeapReclaimPolicy.MinGrowthBytes, activity: 5));
    }

    [Fact]
    public void Growth_is_relative_to_a_large_live_heap()
    {
        // 100,000 subscriptions are live, not garbage: 30 MB more on a 200 MB heap is not a burst's leftovers.
        var policy = new HeapReclaimPolicy(200 * Mb);
        policy.ShouldReclaim(230 * Mb, activity: 5);
        Assert.False(policy.ShouldReclaim(230 * Mb, activity: 5));
        Assert.True(policy.ShouldReclaim(301 * Mb, activity: 5));
    }

    [Fact]
    public void After_a_collection_what_is_live_is_the_new_mark_so_an_idle_server_is_not_collected_again()
    {
        var policy = new HeapReclaimPolicy(20 * Mb);
        policy.ShouldReclaim(300 * Mb, activity: 7);
        Assert.True(policy.ShouldReclaim(300 * Mb, activity: 7));
        policy.Reclaimed(60 * Mb);
        Assert.False(policy.ShouldReclaim(60 * Mb, activity: 7));
        Assert.False(policy.ShouldReclaim(61 * Mb, activity: 7));
    }

    [Fact]
    public void The_GCs_own_collections_lower_the_mark()
    {
        var policy = new HeapReclaimPolicy(100 * Mb);
        policy.ShouldReclaim(30 * Mb, activity: 1); // the GC collected on its own
        Assert.True(policy.ShouldReclaim(80 * Mb, activity: 1));
    }

    [Fact]
    public void A_collection_that_found_the_burst_still_live_is_tried_once_more_after_activity()
    {
        // Publishers stalled on subscribers that stopped reading: quiet, but the pending output is live.
        var policy = new HeapReclaimPolicy(20 * Mb);
        policy.ShouldReclaim(250 * Mb, activity: 3);
        Assert.True(policy.ShouldReclaim(250 * Mb, activity: 3));
        policy.Reclaimed(240 * Mb);
        Assert.False(policy.ShouldReclaim(240 * Mb, activity: 3)); // still quiet: not again
        // The stuck subscribers are cut (connections change), then all is quiet: their output is garbage now.
        Assert.False(policy.ShouldReclaim(240 * Mb, activity: 60));
        Assert.True(policy.ShouldReclaim(240 * Mb, activity: 60));
        policy.Reclaimed(30 * Mb);
        Assert.False(policy.ShouldReclaim(30 * Mb, activity: 60));
    }

    [Fact]
    public void A_second_collection_in_a_row_that_finds_the_heap_live_takes_it_as_live()
    {
        var policy = new HeapReclaimPolicy(20 * Mb);
        policy.ShouldReclaim(250 * Mb, activity: 3);
        Assert.True(policy.ShouldReclaim(250 * Mb, activity: 3));
        policy.Reclaimed(240 * Mb);
        policy.ShouldReclaim(240 * Mb, activity: 4);
        Assert.True(policy.ShouldReclaim(240 * Mb, activity: 4));
        policy.Reclaimed(240 * Mb);
        policy.ShouldReclaim(240 * Mb, activity: 5);
        Assert.False(policy.ShouldReclaim(240 * Mb, activity: 5));
    }
}
