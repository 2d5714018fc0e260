namespace Broker.InProcess;

/// <summary>A message to publish from a stream (<see cref="InProcessStreams.PublishSink"/>, <see cref="InProcessStreams.RequestFlow"/>).</summary>
public sealed record OutgoingMessage(string Subject, ReadOnlyMemory<byte> Payload, string? ReplyTo = null, MessageHeaders? Headers = null)
{
    public static OutgoingMessage Text(string subject, string text, string? replyTo = null) =>
        new(subject, System.Text.Encoding.UTF8.GetBytes(text), replyTo);
}
