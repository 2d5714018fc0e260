using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>A service on one node: answers each request with its data behind a prefix; a message without a reply subject is a probe.</summary>
public sealed class Responder : IAsyncDisposable
{
    private readonly INatsSub<string> _subscription;
    private readonly Task _serving;
    private volatile bool _probed;

    private Responder(INatsSub<string> subscription, string prefix)
    {
        _subscription = subscription;
        _serving = Task.Run(async () =>
        {
            await foreach (var msg in subscription.Msgs.ReadAllAsync())
            {
                if (msg.ReplyTo is null) _probed = true;
                else await msg.ReplyAsync(prefix + msg.Data);
            }
        });
    }

    public bool Probed => _probed;

    public static async Task<Responder> StartAsync(ScenarioConnection connection, string subject, string? queue, string prefix) =>
        new(await connection.Connection.SubscribeCoreAsync<string>(subject, queueGroup: queue), prefix);

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        // Ends when the subscription's channel completes; a failure while serving surfaces here.
        await _serving.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
