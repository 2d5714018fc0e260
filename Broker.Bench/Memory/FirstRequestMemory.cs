using System.Diagnostics;
using Broker.Bench.Drivers;

namespace Broker.Bench.Memory;

/// <summary>
/// The first request/reply on a fresh server (what a client test suite that restarts servers
/// meets), then the next ones: the difference is start-up work left for the first message.
/// </summary>
internal sealed class FirstRequestMemory : MemoryScenario
{
    private const int Following = 100;

    public override string Name => "first-request";
    public override string Description => "first request/reply on a fresh server, then 100 more";

    public TimeSpan First { get; private set; }
    public TimeSpan MedianFollowing { get; private set; }

    public override async Task RunAsync(MemoryProbe probe)
    {
        var driver = new RawDriver(probe.Endpoint);
        using var responder = await driver.StartResponderAsync("svc.first");
        using var requester = await driver.CreateRequesterAsync("svc.first", 16);
        var clock = Stopwatch.StartNew();
        await requester.RequestAsync();
        First = clock.Elapsed;
        var following = new TimeSpan[Following];
        for (var i = 0; i < following.Length; i++)
        {
            clock.Restart();
            await requester.RequestAsync();
            following[i] = clock.Elapsed;
        }
        Array.Sort(following);
        MedianFollowing = following[Following / 2];
        probe.Read("after requests");
    }
}
