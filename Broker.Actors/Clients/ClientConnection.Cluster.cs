using Broker.Protocol;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>
    /// An INFO with the cluster's current <c>connect_urls</c>, sent when membership changes so the
    /// client knows where to fail over (as nats-server does). Off the message path.
    /// </summary>
    /// <param name="failoverUrls">Given: the URLs the client is told instead of the current ones (a node the cluster removed names the others).</param>
    internal void SendInfoUpdate(bool lameDuck = false, string[]? failoverUrls = null)
    {
        if (IsClosed) return;
        var update = _server.CreateInfo(Id, RemoteEndPoint?.Address.ToString(), _nonce);
        if (failoverUrls is not null) update.ConnectUrls = failoverUrls;
        else if (lameDuck)
        {
            // As nats-server: the clients are told where else to go, so not this server (always first).
            update.LameDuckMode = true;
            update.ConnectUrls = update.ConnectUrls?.Skip(1).ToArray();
        }
        var info = update.ToFrame();
        var appended = _outbound.AppendProtocol(info);
        if (appended == AppendResult.NeedsFlush) Flush();
        else if (appended == AppendResult.Full) OnSlowConsumer();
    }
}
