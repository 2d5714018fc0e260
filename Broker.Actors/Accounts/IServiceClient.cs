using System.Net;
using Broker.Protocol;

namespace Broker.Accounts;

/// <summary>
/// A client as service imports see it: the requester that may want a no-responders status when
/// nobody in the exporting account can answer, and the responder a latency sample describes.
/// Declared here, implemented by client connections, so that Accounts does not depend on Clients.
/// </summary>
public interface IServiceClient
{
    ulong Id { get; }
    DateTime Started { get; }
    IPEndPoint? RemoteEndPoint { get; }
    string? User { get; }
    ConnectOptions Options { get; }

    /// <summary>Answers a request nobody can take with a 503 status on its reply subject.</summary>
    void SendNoResponders(ReadOnlySpan<byte> reply);
}
