using System.Net;

namespace Broker.Bench.Drivers;

/// <summary>The raw generator: pre-serialized PUB frames written in large sends, MSG frames counted by length.</summary>
internal sealed class RawDriver(IPEndPoint server) : ILoadDriver
{
    public string Name => "raw";

    public Task<IBenchSubscriber> SubscribeAsync(string subject, string? queueGroup, ProgressSignal progress) =>
        Task.Run<IBenchSubscriber>(() => new RawSubscriber(server, subject, queueGroup, progress));

    public Task<IBenchPublisher> CreatePublisherAsync(string subject, int payloadSize) =>
        Task.Run<IBenchPublisher>(() => new RawPublisher(server, subject, payloadSize));

    public Task<IDisposable> StartResponderAsync(string subject) =>
        Task.Run<IDisposable>(() => new RawResponder(server, subject));

    public Task<IBenchRequester> CreateRequesterAsync(string subject, int payloadSize) =>
        Task.Run<IBenchRequester>(() => new RawRequester(server, subject, payloadSize));
}
