using Broker.Subjects;

namespace Broker.InProcess;

/// <summary>Hands each message to a callback on the publisher's thread: for the library's own non-blocking callbacks only (request inboxes, responder dispatch).</summary>
internal sealed class CallbackSubscriber(Action<BrokerMessage> onMessage, Action? onEnded = null) : InProcessSubscriber
{
    private int _ended;

    protected override void Accept(BrokerMessage message, DeliveryContext context) => onMessage(message);

    internal override void Ended()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0) onEnded?.Invoke();
    }
}
