using Akka.Actor;

namespace Broker.InProcess;

public sealed partial class InProcessConnection
{
    /// <summary>Default mailbox bound of an actor subscription.</summary>
    public const int DefaultActorBound = 65_536;

    /// <summary>The longest an actor responder may take to answer before the request is left unanswered.</summary>
    public static readonly TimeSpan DefaultResponderTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Delivers the messages on <paramref name="subject"/> to <paramref name="actor"/> as
    /// <see cref="BrokerMessage"/>s. While its mailbox holds <paramref name="bound"/> messages or
    /// more, new ones are dropped and counted (<see cref="InProcessSubscription.Dropped"/>); 0: no
    /// bound. When the subscription ends the actor is told <see cref="SubscriptionEnded"/>.
    /// </summary>
    public async Task<InProcessSubscription> SubscribeActorAsync(
        string subject, IActorRef actor, string? queue = null, int bound = DefaultActorBound, long maxMessages = 0)
    {
        var subscriber = new ActorSubscriber(actor, bound);
        await AddSubscription(subscriber, subject, queue, maxMessages).ConfigureAwait(false);
        return new InProcessSubscription(this, subscriber, subject, queue, () => subscriber.Dropped);
    }

    /// <summary>
    /// Serves requests on <paramref name="subject"/> with an actor: each request is asked of it
    /// (<c>Ask</c>) and what it answers (<see cref="Reply"/>, <c>byte[]</c>, string) is published to
    /// the request's reply subject. An actor that does not answer within
    /// <paramref name="timeout"/> leaves the request unanswered (the requester times out).
    /// </summary>
    public async Task<InProcessSubscription> ServeAsync(string subject, IActorRef actor, string? queue = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultResponderTimeout;
        var responder = new CallbackSubscriber(request =>
        {
            if (request.ReplyTo is null) actor.Tell(request, ActorRefs.NoSender);
            else _ = actor.Ask<object>(request, limit).ContinueWith(t => SendReply(request, t.IsCompletedSuccessfully ? Reply.From(t.Result) : null), TaskScheduler.Default);
        });
        await AddSubscription(responder, subject, queue, 0).ConfigureAwait(false);
        return new InProcessSubscription(this, responder, subject, queue, static () => 0);
    }

    /// <summary>
    /// Serves requests on <paramref name="subject"/> with a delegate, each on the thread pool (never
    /// on the publisher's thread). A null reply, or an exception, sends nothing.
    /// </summary>
    public async Task<InProcessSubscription> ServeAsync(string subject, Func<BrokerMessage, ValueTask<Reply?>> handler, string? queue = null)
    {
        var responder = new CallbackSubscriber(request => ThreadPool.UnsafeQueueUserWorkItem(
            static state => _ = state.Connection.RunHandlerAsync(state.Handler, state.Request), (Connection: this, Handler: handler, Request: request), preferLocal: false));
        await AddSubscription(responder, subject, queue, 0).ConfigureAwait(false);
        return new InProcessSubscription(this, responder, subject, queue, static () => 0);
    }

    private async Task RunHandlerAsync(Func<BrokerMessage, ValueTask<Reply?>> handler, BrokerMessage request)
    {
        Reply? reply;
        try
        {
            reply = await handler(request).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Error($"{Description} - responder on \"{request.Subject}\" failed: {e.Message}");
            return;
        }
        SendReply(request, reply);
    }

    private void SendReply(BrokerMessage request, Reply? reply)
    {
        if (reply is null || request.ReplyTo is null || IsClosed) return;
        try
        {
            Publish(request.ReplyTo, reply.Payload.Span, null, reply.Headers);
        }
        catch (InProcessException e)
        {
            // A refused reply (permissions, size) is logged like a network client's; the requester times out.
            Log.Debug($"{Description} - reply to \"{request.Subject}\" not sent: {e.Message}");
        }
    }
}
