using System.Net.Sockets;

namespace Broker.Tests;

/// <summary>A loopback forwarder that keeps a copy of every byte it passes, both ways: what a wiretap between two servers would see.</summary>
public sealed class RecordingProxy : LoopbackProxy
{
    private readonly MemoryStream _recorded = new();

    /// <summary>Every byte passed so far, both directions interleaved.</summary>
    public byte[] Recorded
    {
        get { lock (_recorded) return _recorded.ToArray(); }
    }

    protected override bool Passing(ReadOnlySpan<byte> bytes)
    {
        lock (_recorded) _recorded.Write(bytes);
        return true;
    }

    protected override void Ended(Socket to) => to.Shutdown(SocketShutdown.Both);
}
