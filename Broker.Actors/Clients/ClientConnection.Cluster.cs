using Broker.Protocol;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>
    /// An INFO with the cluster's current <c>connect_urls</c>, sent when membership changes so the
    /// client knows where to fail over (as nats-server does). Off the message path.
    /// </summary>
    internal void SendInfoUpdate()
    {
        if (IsClosed) return;
        var info = _server.CreateInfo(Id, RemoteEndPoint?.Address.ToString(), _nonce).ToFrame();
        var appended = _outbound.AppendProtocol(info);
        if (appended == AppendResult.NeedsFlush) Flush();
        else if (appended == AppendResult.Full) OnSlowConsumer();
    }
}
