using System.Net.Sockets;

namespace Broker.Tests.Gateways;

/// <summary>
/// A loopback forwarder that can turn into a black hole: the connections stay open but nothing
/// passes any more, as when a network path is cut without a reset.
/// </summary>
public sealed class BlackholeProxy : LoopbackProxy
{
    private volatile bool _blackhole;

    public BlackholeProxy(int targetPort) => TargetPort = targetPort;

    /// <summary>From now on, bytes are swallowed in both directions; nothing is closed.</summary>
    public void Blackhole() => _blackhole = true;

    protected override bool Passing(ReadOnlySpan<byte> bytes) => !_blackhole;

    protected override void Ended(Socket to)
    {
        if (!_blackhole) base.Ended(to);
    }
}
