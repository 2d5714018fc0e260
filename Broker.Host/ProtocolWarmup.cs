using Broker.Protocol;

namespace Broker.Host;

/// <summary>
/// The protocol's JSON once each way (an INFO written, a CONNECT read) on a pool thread while the
/// ActorSystem starts on the main one: loading System.Text.Json and compiling its generic code is
/// otherwise the largest part of a fresh server's first client (measured in Broker.Bench/results/
/// 2026-12-06-startup.md). Touches no broker state.
/// </summary>
internal static class ProtocolWarmup
{
    public static void Start() => ThreadPool.UnsafeQueueUserWorkItem(static _ =>
    {
        _ = new ServerInfo { ServerId = "warmup", Host = "127.0.0.1" }.ToFrame();
        _ = ConnectOptions.TryParse("""{"verbose":false,"pedantic":false,"user":"u","pass":"p","name":"n","lang":"l","version":"1","protocol":1,"headers":true,"no_responders":true}"""u8, out ConnectOptions _);
    }, null);
}
