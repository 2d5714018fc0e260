using Broker.Clients;

namespace Broker.Tests.Clients;

/// <summary>The read buffer follows nats-server's sizing: 512 B, doubling on full reads to 256 KB (nats-server stops at 64 KB), halving after short ones.</summary>
public class ReadBufferSizingTests
{
    [Fact]
    public void Full_reads_double_the_buffer_up_to_256_KB()
    {
        var sizing = new ReadBufferSizing();
        var size = ReadBufferSizing.Initial;
        var seen = new List<int> { size };
        for (var i = 0; i < 12; i++)
        {
            size = sizing.Next(filled: true, read: size, capacity: size, kept: 0);
            seen.Add(size);
        }
        Assert.Equal(new[] { 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 262144 }, seen.Take(11).ToArray());
        Assert.Equal(ReadBufferSizing.MaxIdle, size);
    }

    [Fact]
    public void The_buffer_halves_after_more_than_two_short_reads_and_stops_at_64_bytes()
    {
        var sizing = new ReadBufferSizing();
        var size = 4096;
        Assert.Equal(4096, sizing.Next(filled: false, read: 10, capacity: size, kept: 0));
        Assert.Equal(4096, sizing.Next(filled: false, read: 10, capacity: size, kept: 0));
        var seen = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            size = sizing.Next(filled: false, read: 10, capacity: size, kept: 0);
            seen.Add(size);
        }
        Assert.Equal(new[] { 2048, 1024, 512, 256, 128, 64, 64, 64, 64, 64 }, seen.ToArray());
    }

    [Fact]
    public void A_full_read_resets_the_count_of_short_reads()
    {
        var sizing = new ReadBufferSizing();
        sizing.Next(filled: false, read: 10, capacity: 1024, kept: 0);
        sizing.Next(filled: false, read: 10, capacity: 1024, kept: 0);
        Assert.Equal(2048, sizing.Next(filled: true, read: 1024, capacity: 1024, kept: 0));
        Assert.Equal(2048, sizing.Next(filled: false, read: 10, capacity: 2048, kept: 0));
        Assert.Equal(2048, sizing.Next(filled: false, read: 10, capacity: 2048, kept: 0));
        Assert.Equal(1024, sizing.Next(filled: false, read: 10, capacity: 2048, kept: 0));
    }

    [Fact]
    public void Reads_over_half_the_buffer_are_not_short()
    {
        var sizing = new ReadBufferSizing();
        for (var i = 0; i < 10; i++) Assert.Equal(1024, sizing.Next(filled: false, read: 600, capacity: 1024, kept: 0));
    }

    [Fact]
    public void A_frame_that_fills_the_buffer_grows_it_past_256_KB_and_an_unfinished_frame_blocks_shrinking()
    {
        var sizing = new ReadBufferSizing();
        Assert.Equal(524288, sizing.Next(filled: true, read: 1000, capacity: 262144, kept: 262144));
        for (var i = 0; i < 5; i++) Assert.Equal(524288, sizing.Next(filled: false, read: 10, capacity: 524288, kept: 300_000));
        Assert.Equal(262144, sizing.Next(filled: false, read: 10, capacity: 524288, kept: 0));
    }
}
