using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// A stream import, as a subscriber in the exporting account: each message it receives is
/// delivered again in the importing account, under the import's prefix or <c>to</c> subject, within
/// the publisher's own batch (no hop, no copy beyond the remapped subject).
/// </summary>
internal sealed class StreamImport : Subscriber
{
    private readonly Account _importer;
    private readonly SubjectMapping _mapping;
    private readonly byte[] _pattern;

    public StreamImport(Account importer, ImportOptions import)
    {
        _importer = importer;
        _pattern = System.Text.Encoding.ASCII.GetBytes(import.Subject);
        _mapping = import.Prefix is not null ? SubjectMapping.Prefix(import.Prefix)
            : import.To is not null ? SubjectMapping.To(import.To)
            : SubjectMapping.Identity;
        Subscription = new Subscription(this, _pattern, null, System.Text.Encoding.ASCII.GetBytes($"$import.{importer.Name}"));
    }

    /// <summary>The subscription to add to the exporting account's index.</summary>
    public Subscription Subscription { get; }

    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        DeliveryContext context)
    {
        var length = _mapping.MaxLength(subject.Length);
        var mapped = _mapping.Map(_pattern, subject, length is >= 0 and <= SubjectMapping.StackLimit ? stackalloc byte[length] : default);
        context.DeliverAll(_importer.Index.Match(mapped), mapped, reply, headersAndPayload, headerSize);
    }

    public override void Flush()
    {
        // Never touched: deliveries go to the importing account's subscribers, which flush themselves.
    }

    public override void OnAutoUnsubscribed(Subscription subscription)
    {
        // Import subscriptions have no delivery limit.
    }
}
