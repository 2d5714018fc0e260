using NATS.Client.Core;

namespace Broker.Tests.Cluster;

// Request/reply across nodes.
public static partial class ClusterScenarios
{
    private const int Requests = 10;

    private static IReadOnlyList<string> ExpectedRequestReply() =>
    [
        "echo on C: " + Numbered("C:r", Requests),
        "work on B or C: " + Numbered("w", Requests),
        "nobody: no responders",
    ];

    /// <summary>Requests from A to a responder on C, to a queue of responders on B and C, and to nobody.</summary>
    private static async Task<IReadOnlyList<string>> RequestReplyAsync(ProcessCluster cluster)
    {
        var run = Run();
        var echo = $"rr.{run}.echo";
        var work = $"rr.{run}.work";
        await using var a = await ConnectAsync(cluster, 0);
        await using var b = await ConnectAsync(cluster, 1);
        await using var c = await ConnectAsync(cluster, 2);
        await using var echoOnC = await Responder.StartAsync(c, echo, null, "C:");
        await using var workOnB = await Responder.StartAsync(b, work, "svc", "");
        await using var workOnC = await Responder.StartAsync(c, work, "svc", "");
        await a.ProbeUntilAsync(echo, () => echoOnC.Probed, "the responder on C");
        await a.ProbeUntilAsync(work, () => workOnB.Probed && workOnC.Probed, "the responders on B and C");

        var echoed = new List<string>();
        for (var i = 0; i < Requests; i++) echoed.Add((await a.Connection.RequestAsync<string, string>(echo, $"r{i}")).Data!);
        var worked = new List<string>();
        for (var i = 0; i < Requests; i++) worked.Add((await a.Connection.RequestAsync<string, string>(work, $"w{i}")).Data!);
        string nobody;
        try
        {
            await a.Connection.RequestAsync<string, string>($"rr.{run}.nobody", "?");
            nobody = "answered";
        }
        catch (NatsNoRespondersException)
        {
            nobody = "no responders";
        }
        return ["echo on C: " + string.Join(" ", echoed), "work on B or C: " + string.Join(" ", worked), "nobody: " + nobody];
    }
}
