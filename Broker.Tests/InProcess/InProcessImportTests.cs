using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.InProcess;

/// <summary>
/// In-process clients across accounts: a service import and a stream import (ExportingAccounts: A
/// exports <c>svc.&gt;</c> and <c>news.&gt;</c>, B imports both) work for them as for network clients.
/// </summary>
public class InProcessImportTests
{
    [Fact]
    public async Task An_in_process_client_of_the_importing_account_requests_an_imported_service_and_receives_an_imported_stream()
    {
        await using var broker = await TestBroker.StartAsync(o => ExportingAccounts.Apply(o with { Host = "127.0.0.1" }));
        await using var inA = broker.Server.ConnectInProcess(InProcessIdentity.User("a"), "exporter");
        await using var inB = broker.Server.ConnectInProcess(InProcessIdentity.User("b"), "importer");
        await using var served = await inA.ServeAsync("svc.>", m => ValueTask.FromResult<Reply?>(Reply.Text($"{m.Subject} answered {m.PayloadText}")));
        var (subscribed, news) = inB.Subscribe("news.>").Take(2).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;

        // B's in-process request reaches A's in-process responder through the import; so does a network client's of B.
        Assert.Equal("svc.lookup answered 1", (await inB.RequestAsync("svc.lookup", Encoding.UTF8.GetBytes("1"), TimeSpan.FromSeconds(10))).PayloadText);
        await using var networkB = await NatsClients.ConnectAsync(broker.Url, ExportingAccounts.As("b"));
        Assert.Equal("svc.lookup answered 2", (await networkB.RequestAsync<string, string>("svc.lookup", "2")).Data);

        // A's stream, from an in-process and a network publisher of A, reaches B's in-process stream.
        await inA.PublishAsync("news.today", Encoding.UTF8.GetBytes("in-process headline"));
        await using var networkA = await NatsClients.ConnectAsync(broker.Url, ExportingAccounts.As("a"));
        await networkA.PublishAsync("news.today", "network headline");
        Assert.Equal(["news.today:in-process headline", "news.today:network headline"],
            (await news.WaitAsync(TimeSpan.FromSeconds(20))).Select(m => $"{m.Subject}:{m.PayloadText}"));

        // Not exported, not imported: B's in-process request for A's other subjects finds nobody.
        await using var other = await inA.ServeAsync("private.x", _ => ValueTask.FromResult<Reply?>(Reply.Text("leak")));
        await Assert.ThrowsAsync<NoRespondersException>(() => inB.RequestAsync("private.x", ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(5)));
    }
}
