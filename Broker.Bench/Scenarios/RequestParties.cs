using Broker.Bench.Drivers;

namespace Broker.Bench.Scenarios;

/// <summary>
/// The responder and the requester of a request/reply scenario: both on the one server, or, across
/// a leaf link, the requester on node 0 and the responder on node 1. Across a link the run starts
/// only once interest has crossed both ways, shown by probes rather than a sleep: a probe
/// subscription made on the responder's node after the responder's has received one from the
/// requester's node, and one made on the requester's node after its reply subscription has received
/// one from the responder's node (each node's interest travels in the order it was made).
/// </summary>
internal sealed class RequestParties(IDisposable responder, IBenchRequester requester) : IDisposable
{
    public IBenchRequester Requester => requester;

    public static async Task<RequestParties> StartAsync(ScenarioContext context, string subject)
    {
        var requesterNode = context.Nodes[0].Driver;
        var responderNode = context.Nodes[^1].Driver;
        var responder = await responderNode.StartResponderAsync(subject);
        IBenchRequester? requester = null;
        try
        {
            requester = await requesterNode.CreateRequesterAsync(subject, context.PayloadSize);
            if (!ReferenceEquals(requesterNode, responderNode))
            {
                await InterestProbe.WaitAsync(requesterNode, [responderNode], "bench.request.probe", context.Deadline);
                await InterestProbe.WaitAsync(responderNode, [requesterNode], "bench.reply.probe", context.Deadline);
            }
            return new RequestParties(responder, requester);
        }
        catch
        {
            requester?.Dispose();
            responder.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        requester.Dispose();
        responder.Dispose();
    }
}
