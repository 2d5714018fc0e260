using System.Text;

namespace Broker.InProcess;

/// <summary>A responder's answer: payload and optional headers. An actor may also answer with a byte array or a string.</summary>
public sealed record Reply(ReadOnlyMemory<byte> Payload, MessageHeaders? Headers = null)
{
    public static Reply Text(string text) => new((ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(text));

    public static implicit operator Reply(byte[] payload) => new((ReadOnlyMemory<byte>)payload);

    /// <summary>What an actor answered, as a reply; null for anything else (nothing is sent then).</summary>
    internal static Reply? From(object? answer) => answer switch
    {
        Reply reply => reply,
        byte[] bytes => new Reply((ReadOnlyMemory<byte>)bytes),
        ReadOnlyMemory<byte> memory => new Reply(memory),
        string text => Text(text),
        _ => null,
    };
}
