namespace Broker.Bench.Drivers;

/// <summary>How a scenario reaches the server: by hand-written protocol, or through a real client library.</summary>
internal interface ILoadDriver
{
    string Name { get; }

    /// <summary>A subscriber whose SUB the server has confirmed (a PING answered after it).</summary>
    Task<IBenchSubscriber> SubscribeAsync(string subject, string? queueGroup, ProgressSignal progress);

    Task<IBenchPublisher> CreatePublisherAsync(string subject, int payloadSize);

    /// <summary>A service on <paramref name="subject"/> that answers every request with its own payload.</summary>
    Task<IDisposable> StartResponderAsync(string subject);

    Task<IBenchRequester> CreateRequesterAsync(string subject, int payloadSize);
}

internal interface IBenchRequester : IDisposable
{
    /// <summary>One round trip; returns when the reply has arrived.</summary>
    ValueTask RequestAsync();

    /// <summary>
    /// Sends <paramref name="total"/> requests keeping <paramref name="inFlight"/> outstanding; returns when all are answered.
    /// With <paramref name="latencies"/> (<paramref name="total"/> long), each request's round trip in microseconds is written there.
    /// </summary>
    ValueTask RunInFlightAsync(int total, int inFlight, double[]? latencies = null);
}

/// <summary>Counts messages received on one subscription, from its own receive loop.</summary>
internal interface IBenchSubscriber : IDisposable
{
    long Received { get; }
}

internal interface IBenchPublisher : IDisposable
{
    /// <summary>Publishes <paramref name="count"/> messages; may return before the server read them.</summary>
    ValueTask PublishAsync(int count);

    /// <summary>Returns once the server has processed everything published so far (PING/PONG).</summary>
    ValueTask FlushAsync();
}
