using System.Text;
using Broker.Links;
using Broker.Subjects;
using Xunit;

namespace Broker.Tests.Links;

/// <summary>
/// A link's batch is handed whole to its connection (<see cref="FrameBatch.Detach"/>) instead of
/// copied: the handed-over buffer must keep its bytes while the next batch fills a buffer of its own.
/// </summary>
public class FrameBatchTests
{
    private static readonly byte[] Prefix = [.. new byte[LinkFrames.HeaderSize], .. AccountPrefix.For("ACC")];

    [Fact]
    public void A_detached_batch_keeps_its_bytes_while_the_next_batch_fills_and_grows()
    {
        var batch = new FrameBatch(Prefix);
        var context = new DeliveryContext(RemotePublisher.Instance);
        Append(batch, context, "first.subject", "one");
        var length = batch.Length;
        var expected = batch.Bytes.ToArray();

        var detached = batch.Detach(keepUpTo: 256 * 1024);

        // The next batch starts over in another buffer, and a burst grows it past the first's size.
        Assert.True(batch.IsEmpty);
        Assert.Equal(0, batch.Messages);
        for (var i = 0; i < 100; i++) Append(batch, context, "second.subject", new string((char)('a' + i % 26), 1000));
        Assert.True(batch.Length > detached.Length);

        Assert.Equal(expected, detached.AsSpan(0, length).ToArray());
        var (subject, payload) = ReadOnly(detached.AsSpan(0, length));
        Assert.Equal("first.subject", subject);
        Assert.Equal("one", payload);
        Assert.Equal(Prefix, batch.Bytes[..Prefix.Length].ToArray());
        Assert.Equal(100, batch.Messages);
    }

    [Fact]
    public void The_next_batch_after_a_detach_starts_with_the_prefix_and_holds_only_its_own_messages()
    {
        var batch = new FrameBatch(Prefix);
        var context = new DeliveryContext(RemotePublisher.Instance);
        Append(batch, context, "a", "1");
        var first = batch.Detach(keepUpTo: 256 * 1024);
        Append(batch, context, "b", "2");

        var second = batch.Bytes.ToArray();
        Assert.NotSame(first, second);
        var (subject, payload) = ReadOnly(second);
        Assert.Equal("b", subject);
        Assert.Equal("2", payload);
    }

    private static void Append(FrameBatch batch, DeliveryContext context, string subject, string payload)
    {
        context.NextMessage();
        batch.Append(default, Encoding.ASCII.GetBytes(subject), default, default, Encoding.ASCII.GetBytes(payload), 0, context);
    }

    /// <summary>Reads a batch holding one message, as the receiving node does (after the frame header).</summary>
    private static (string Subject, string Payload) ReadOnly(ReadOnlySpan<byte> bytes)
    {
        var body = bytes[LinkFrames.HeaderSize..];
        Assert.Equal("ACC", AccountPrefix.Read(body, out var framesAt));
        var frames = body[framesAt..];
        var offset = 0;
        var frame = MessageFrames.Read(frames, ref offset);
        Assert.Equal(frames.Length, offset);
        return (Encoding.ASCII.GetString(frame.Subject), Encoding.ASCII.GetString(frame.HeadersAndPayload));
    }
}
