using System.Net.Security;
using System.Net.Sockets;

namespace Broker.Transport;

/// <summary>
/// How a connection's bytes travel: the socket itself, or TLS over it once the client upgraded.
/// One call per read or write, never per message.
/// </summary>
internal abstract class ClientTransport
{
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>Writes some or all of <paramref name="data"/>; returns how much (TLS writes it all).</summary>
    public abstract ValueTask<int> SendAsync(ReadOnlyMemory<byte> data);

    public sealed class Plain(Socket socket) : ClientTransport
    {
        public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel) => socket.ReceiveAsync(buffer, SocketFlags.None, cancel);

        public override ValueTask<int> SendAsync(ReadOnlyMemory<byte> data) => socket.SendAsync(data, SocketFlags.None);
    }

    public sealed class Tls(SslStream stream) : ClientTransport
    {
        public SslStream Stream { get; } = stream;

        public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel) => Stream.ReadAsync(buffer, cancel);

        public override ValueTask<int> SendAsync(ReadOnlyMemory<byte> data)
        {
            var write = Stream.WriteAsync(data);
            return write.IsCompletedSuccessfully ? new ValueTask<int>(data.Length) : Completed(write, data.Length);
        }

        private static async ValueTask<int> Completed(ValueTask write, int length)
        {
            await write.ConfigureAwait(false);
            return length;
        }
    }
}
