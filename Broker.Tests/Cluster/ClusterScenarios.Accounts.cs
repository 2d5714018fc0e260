using NATS.Client.Core;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

// Accounts across nodes: isolation and stream imports.
public static partial class ClusterScenarios
{
    /// <summary>A client of the fixture's account named like <paramref name="user"/> (whose password is the same).</summary>
    private static Task<ScenarioConnection> ConnectAsAsync(ProcessCluster cluster, string user, int node) => ScenarioConnection.ConnectAsync(
        $"{user.ToUpperInvariant()} on {(char)('A' + node)}", cluster.Url(node), o => o with { AuthOpts = NatsAuthOpts.Default with { Username = user, Password = user } });

    private static IReadOnlyList<string> ExpectedAccountIsolation() =>
    [
        "RED on B: " + Numbered("red", 5),
        "RED on C: " + Numbered("red", 5),
        "BLUE on B: " + Numbered("blue", 5),
        "BLUE on C: " + Numbered("blue", 5),
        "$G on B: ",
    ];

    /// <summary>
    /// One subject in three accounts (RED, BLUE and <c>$G</c>) with subscribers on B and C;
    /// RED publishes on A, BLUE on C: each account's subscribers get their own account's messages only.
    /// </summary>
    private static async Task<IReadOnlyList<string>> AccountIsolationAsync(ProcessCluster cluster)
    {
        var subject = $"acct.{Run()}";
        Task<ScenarioConnection> As(string user, int node) => ConnectAsAsync(cluster, user, node);
        await using var redA = await As("red", 0);
        await using var redB = await As("red", 1);
        await using var redC = await As("red", 2);
        await using var blueB = await As("blue", 1);
        await using var blueC = await As("blue", 2);
        await using var anonB = await ScenarioConnection.ConnectAsync("$G on B", cluster.Url(1));
        var receivers = new[] { redB, redC, blueB, blueC, anonB };
        var subscriptions = new List<RecordingSubscription>();
        foreach (var receiver in receivers) subscriptions.Add(await receiver.SubscribeAsync(receiver.Name, subject));
        await redA.ProbeUntilAsync(subject, () => subscriptions[0].HasProbeOn(subject) && subscriptions[1].HasProbeOn(subject), "RED on B and C");
        await blueC.ProbeUntilAsync(subject, () => subscriptions[2].HasProbeOn(subject) && subscriptions[3].HasProbeOn(subject), "BLUE on B and C");

        for (var i = 0; i < 5; i++) await redA.PublishAsync(subject, $"red{i}");
        for (var i = 0; i < 5; i++) await blueC.PublishAsync(subject, $"blue{i}");
        await redA.FlushThroughAsync(redB, redC);
        await blueC.FlushThroughAsync(blueB, blueC);
        // A message that leaked into another account was delivered before those markers; these
        // later markers, one per receiving connection in its own account, come after it.
        await redA.FlushThroughAsync(redB, redC);
        await blueC.FlushThroughAsync(blueB, blueC);
        await anonB.FlushThroughAsync(anonB);

        return subscriptions.Select(s => $"{s.Name}: {string.Join(" ", s.Payloads())}").ToArray();
    }

    private static IReadOnlyList<string> ExpectedStreamImport() =>
    [
        "SHOP on A: " + Numbered("order", 5) + " last",
        "SHOP on C: " + Numbered("order", 5) + " last",
        "ORDERS on B: " + Numbered("order", 5) + " last",
    ];

    /// <summary>
    /// ORDERS publishes on A; SHOP imports ORDERS' stream under <c>from_orders.</c> and subscribes on
    /// A and on C; an ORDERS subscriber on B gets the originals.
    /// </summary>
    private static async Task<IReadOnlyList<string>> StreamImportAsync(ProcessCluster cluster)
    {
        var subject = $"orders.{Run()}";
        var imported = $"from_orders.{subject}";
        await using var ordersA = await ConnectAsAsync(cluster, "orders", 0);
        await using var ordersB = await ConnectAsAsync(cluster, "orders", 1);
        await using var shopA = await ConnectAsAsync(cluster, "shop", 0);
        await using var shopC = await ConnectAsAsync(cluster, "shop", 2);
        var subscriptions = new[]
        {
            await shopA.SubscribeAsync("SHOP on A", imported),
            await shopC.SubscribeAsync("SHOP on C", imported),
            await ordersB.SubscribeAsync("ORDERS on B", subject),
        };
        await ordersA.ProbeUntilAsync(subject, () => subscriptions.All(s => s.HasProbeOn(imported) || s.HasProbeOn(subject)), "SHOP on A and C, ORDERS on B");

        for (var i = 0; i < 5; i++) await ordersA.PublishAsync(subject, $"order{i}");
        // End markers cannot cross accounts; a last message through the import can (per-publisher order).
        await ordersA.PublishAsync(subject, "last");
        await Eventually.Async(() => subscriptions.All(s => s.Payloads().Contains("last")), "the last order everywhere");

        return subscriptions.Select(s => $"{s.Name}: {string.Join(" ", s.Payloads())}").ToArray();
    }
}
