using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// A service import, as a subscriber in the importing account on the local subject: a request
/// is delivered to the exporting account's responders under the exported subject, with its reply
/// subject replaced by a <c>_R_.</c> subject that routes the response back (see <see cref="ResponseRoutes"/>).
/// </summary>
internal sealed class ServiceImport : Subscriber
{
    private readonly Account _importer;
    private readonly Account _exporter;
    private readonly ExportOptions _export;
    private readonly SubjectMapping _mapping;
    private readonly byte[] _localPattern;
    private readonly ServiceLatencyTracker? _latency;

    public ServiceImport(Account importer, Account exporter, ImportOptions import, ExportOptions export, ServiceLatencyTracker? latency)
    {
        _importer = importer;
        _exporter = exporter;
        _export = export;
        _latency = latency;
        var local = import.To ?? import.Subject;
        _localPattern = System.Text.Encoding.ASCII.GetBytes(local);
        _mapping = local == import.Subject ? SubjectMapping.Identity : SubjectMapping.To(import.Subject);
        Subscription = new Subscription(this, _localPattern, null, System.Text.Encoding.ASCII.GetBytes($"$import.{exporter.Name}"));
    }

    public Subscription Subscription { get; }

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        DeliveryContext context)
    {
        var length = _mapping.MaxLength(subject.Length);
        var mapped = _mapping.Map(_localPattern, subject, length is >= 0 and <= SubjectMapping.StackLimit ? stackalloc byte[length] : default);
        var match = _exporter.Index.Match(mapped);
        if (reply.IsEmpty)
        {
            context.DeliverAll(match, mapped, default, headersAndPayload, headerSize);
            return;
        }
        var probe = _latency?.TryStart(_importer);
        var routed = _exporter.Responses.Add(_importer, reply, _export, probe);
        _exporter.EnsureResponseInterest();
        if (context.DeliverAll(match, mapped, routed, headersAndPayload, headerSize) > 0) return;
        _exporter.Responses.Remove(routed);
        // Nobody in the exporting account can answer: the requester fails fast, as with a local subject.
        if (context.Publisher is IServiceClient requester && requester.Options is { NoResponders: true, Headers: true })
            requester.SendNoResponders(reply);
    }

    public override void Flush()
    {
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
    }
}
