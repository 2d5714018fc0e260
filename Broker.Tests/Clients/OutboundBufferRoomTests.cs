using Broker.Clients;

namespace Broker.Tests.Clients;

/// <summary>The crowded mark, partial write progress and the publisher's pause on one buffer.</summary>
public class OutboundBufferRoomTests
{
    private static readonly byte[] Body = new byte[1000];

    private static bool Append(OutboundBuffer buffer)
    {
        buffer.AppendMessage("s"u8, "1"u8, default, Body, -1, out var crowded);
        return crowded;
    }

    [Fact]
    public void Crowded_is_reported_once_past_three_quarters_of_max_pending()
    {
        var buffer = new OutboundBuffer(maxPending: 10_000);
        var reports = Enumerable.Range(0, 9).Count(_ => Append(buffer));
        Assert.Equal(1, reports);
    }

    [Fact]
    public void A_large_max_pending_is_crowded_from_4_MB_not_from_three_quarters_of_it()
    {
        var buffer = new OutboundBuffer(maxPending: 64L * 1024 * 1024);
        var appended = 0;
        while (!Append(buffer)) appended++;
        Assert.InRange(buffer.PendingBytes, 4L * 1024 * 1024, 4L * 1024 * 1024 + 1100);
        Assert.True(appended < 5000, $"crowded only after {appended} messages");
    }

    [Fact]
    public void Pending_falls_as_bytes_are_written_not_when_the_whole_write_completes()
    {
        var buffer = new OutboundBuffer(maxPending: 100_000);
        for (var i = 0; i < 10; i++) Append(buffer);
        var taken = buffer.TakeForWrite();
        var total = buffer.PendingBytes;
        buffer.Written(4000);
        Assert.Equal(total - 4000, buffer.PendingBytes);
        buffer.WriteCompleted(taken);
        Assert.Equal(0, buffer.PendingBytes);
    }

    [Fact]
    public async Task A_paused_publisher_resumes_when_the_writer_makes_room()
    {
        var buffer = new OutboundBuffer(maxPending: 10_000);
        for (var i = 0; i < 9; i++) Append(buffer);
        buffer.TakeForWrite();
        var wait = buffer.WaitForRoomAsync(TimeSpan.FromSeconds(30));
        Assert.False(wait.IsCompleted);
        buffer.Written(6000);
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_subscriber_without_progress_is_not_waited_on_past_the_grace()
    {
        var buffer = new OutboundBuffer(maxPending: 10_000);
        for (var i = 0; i < 9; i++) Append(buffer);
        buffer.TakeForWrite();
        Assert.False(await buffer.WaitForRoomAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromSeconds(10)));
        // Its clock is its own: a second publisher does not wait again.
        var again = buffer.WaitForRoomAsync(TimeSpan.FromMilliseconds(100));
        Assert.True(again.IsCompleted);
        Assert.False(await again);
    }
}
