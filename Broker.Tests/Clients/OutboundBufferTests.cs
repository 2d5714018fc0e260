using System.Text;
using Broker.Clients;

namespace Broker.Tests.Clients;

public class OutboundBufferTests
{
    private static string Drain(OutboundBuffer buffer)
    {
        var text = new StringBuilder();
        var taken = buffer.TakeForWrite();
        foreach (var segment in taken) text.Append(Encoding.ASCII.GetString(segment));
        if (taken.Count > 0) buffer.WriteCompleted(taken);
        return text.ToString();
    }

    [Fact]
    public void Frames_come_out_whole_and_in_order_across_many_segments()
    {
        var buffer = new OutboundBuffer(maxPending: 64L * 1024 * 1024);
        var expected = new StringBuilder();
        var random = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < random.Next(1, 400); i++)
            {
                var body = new string((char)('a' + i % 26), random.Next(0, 3000));
                buffer.AppendMessage("s.x"u8, "9"u8, i % 3 == 0 ? "r"u8 : default, Encoding.ASCII.GetBytes(body), -1);
                expected.Append(i % 3 == 0 ? $"MSG s.x 9 r {body.Length}\r\n{body}\r\n" : $"MSG s.x 9 {body.Length}\r\n{body}\r\n");
            }
            Assert.Equal(expected.Length, buffer.PendingBytes);
            Assert.Equal(expected.ToString(), Drain(buffer));
            expected.Clear();
        }
        Assert.Equal(0, buffer.PendingBytes);
    }

    [Fact]
    public void A_frame_larger_than_a_segment_is_kept_whole()
    {
        var buffer = new OutboundBuffer(maxPending: 64L * 1024 * 1024);
        var body = new byte[1024 * 1024];
        Array.Fill(body, (byte)'z');
        buffer.AppendProtocol("PONG\r\n"u8);
        buffer.AppendMessage("big"u8, "1"u8, default, body, -1);
        buffer.AppendProtocol("PING\r\n"u8);
        Assert.Equal($"PONG\r\nMSG big 1 {body.Length}\r\n{Encoding.ASCII.GetString(body)}\r\nPING\r\n", Drain(buffer));
    }

    [Fact]
    public void Headers_frame_carries_both_sizes()
    {
        var buffer = new OutboundBuffer(maxPending: 1024);
        buffer.AppendMessage("h"u8, "2"u8, "inbox"u8, "NATS/1.0\r\n\r\nhi"u8, headerSize: 12);
        Assert.Equal("HMSG h 2 inbox 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", Drain(buffer));
    }

    [Fact]
    public void Past_max_pending_counts_bytes_still_being_written()
    {
        var buffer = new OutboundBuffer(maxPending: 100);
        Assert.Equal(AppendResult.NeedsFlush, buffer.AppendMessage("a"u8, "1"u8, default, new byte[60], -1));
        var inFlight = buffer.TakeForWrite();
        Assert.Equal(AppendResult.Full, buffer.AppendMessage("a"u8, "1"u8, default, new byte[60], -1));
        buffer.WriteCompleted(inFlight);
        Assert.Equal(AppendResult.Appended, buffer.AppendMessage("a"u8, "1"u8, default, new byte[60], -1));
    }

    [Fact]
    public void Only_the_first_append_of_a_batch_asks_for_a_flush()
    {
        var buffer = new OutboundBuffer(maxPending: 1024);
        Assert.Equal(AppendResult.NeedsFlush, buffer.AppendProtocol("PONG\r\n"u8));
        Assert.Equal(AppendResult.Appended, buffer.AppendProtocol("PONG\r\n"u8));
        buffer.FlushRequested();
        Assert.Equal(AppendResult.NeedsFlush, buffer.AppendProtocol("PONG\r\n"u8));
    }

    [Fact]
    public void Sealing_with_discard_drops_output_but_keeps_the_final_error()
    {
        var buffer = new OutboundBuffer(maxPending: 1024 * 1024);
        for (var i = 0; i < 100; i++) buffer.AppendMessage("a"u8, "1"u8, default, new byte[1000], -1);
        buffer.Seal(discard: true);
        Assert.Equal(AppendResult.Closed, buffer.AppendProtocol("PONG\r\n"u8));
        buffer.AppendFinal("-ERR 'Slow Consumer'\r\n"u8);
        Assert.Equal("-ERR 'Slow Consumer'\r\n", Drain(buffer));
    }

    [Fact]
    public void Nothing_queued_takes_an_empty_list()
    {
        var buffer = new OutboundBuffer(maxPending: 1024);
        Assert.Empty(buffer.TakeForWrite());
        buffer.AppendProtocol("PING\r\n"u8);
        Assert.Equal("PING\r\n", Drain(buffer));
        Assert.Empty(buffer.TakeForWrite());
    }
}
