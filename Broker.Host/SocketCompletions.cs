namespace Broker.Host;

/// <summary>The .NET switch that runs socket continuations inline on the epoll threads.</summary>
internal static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
