using System.Net;

namespace Broker.Transport;

/// <summary>A configured listen host as an address to bind ("0.0.0.0" and "" are any, "::" any IPv6).</summary>
public static class ListenAddress
{
    public static IPAddress Parse(string host)
    {
        if (string.IsNullOrEmpty(host) || host == "0.0.0.0") return IPAddress.Any;
        if (host is "::" or "[::]") return IPAddress.IPv6Any;
        if (host == "localhost") return IPAddress.Loopback;
        return IPAddress.Parse(host.Trim('[', ']'));
    }
}
