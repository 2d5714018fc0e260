using Broker.Tests.EndToEnd;
using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>Imports and exports work when the exporter's clients and the importer's are on different nodes.</summary>
public class ClusterImportTests
{
    [Fact]
    public async Task A_service_answers_an_importer_on_another_node_and_the_response_comes_back()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: ExportingAccounts.Apply);
        await using var responderClient = await NatsClients.ConnectAsync(cluster[1].Url, ExportingAccounts.As("a"));
        await using var requesterClient = await NatsClients.ConnectAsync(cluster[0].Url, ExportingAccounts.As("b"));
        await using var responder = await responderClient.SubscribeCoreAsync<string>("svc.>");
        await cluster[0].WaitRemoteInterestAsync("svc.>", account: "A");

        var serve = Task.Run(async () =>
        {
            await foreach (var msg in responder.Msgs.ReadAllAsync())
            {
                // The responder sees the exporter's response subject, never the requester's inbox.
                Assert.StartsWith("_R_.", msg.ReplyTo);
                await msg.ReplyAsync($"{msg.Subject} answered {msg.Data}");
            }
        });

        for (var i = 0; i < 3; i++)
        {
            var reply = await requesterClient.RequestAsync<string, string>("svc.lookup", $"q{i}", replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(10) });
            Assert.Equal($"svc.lookup answered q{i}", reply.Data);
        }
        await responder.UnsubscribeAsync();
        await serve;
    }

    [Fact]
    public async Task A_stream_published_on_one_node_reaches_an_importer_on_another()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: ExportingAccounts.Apply);
        await using var publisher = await NatsClients.ConnectAsync(cluster[0].Url, ExportingAccounts.As("a"));
        await using var importer = await NatsClients.ConnectAsync(cluster[1].Url, ExportingAccounts.As("b"));
        await using var news = await importer.SubscribeCoreAsync<string>("news.>");
        await cluster[0].WaitRemoteInterestAsync("news.>", account: "B");

        for (var i = 0; i < 10; i++) await publisher.PublishAsync($"news.{i}", $"n{i}");
        await publisher.PingAsync();

        var got = await NatsClients.ReadAsync(news, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"news.{i}:n{i}"), got.Select(m => $"{m.Subject}:{m.Data}"));
    }
}
