using Akka.Actor;
using Akka.Serialization;

namespace Broker.Cluster;

/// <summary>
/// A compact binary form for the control messages between nodes, which are small and rare.
/// Interest and messages travel on the nodes' data connections instead (<see cref="NodeFrames"/>).
/// </summary>
public sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => 4222;

    public override string Manifest(object o) => o switch
    {
        Hello => "H",
        Challenge => "C",
        Proof => "P",
        RouteRemoved => "R",
        _ => throw new ArgumentException($"not a cluster message: {o.GetType()}"),
    };

    public override byte[] ToBinary(object obj)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            switch (obj)
            {
                case Hello hello:
                    writer.Write(hello.Node);
                    writer.Write(hello.ClientUrl);
                    writer.Write(hello.GatewayUrl);
                    writer.Write(hello.DataPort);
                    writer.Write(hello.Ticket);
                    WriteBytes(writer, hello.Seal);
                    break;
                case Challenge challenge:
                    WriteBytes(writer, challenge.Nonce);
                    writer.Write(challenge.Salt);
                    break;
                case Proof proof:
                    WriteBytes(writer, proof.Nonce);
                    WriteBytes(writer, proof.Mac);
                    break;
                case RouteRemoved removed:
                    WriteBytes(writer, removed.Seal);
                    break;
                default:
                    throw new ArgumentException($"not a cluster message: {obj.GetType()}");
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        return manifest switch
        {
            "H" => new Hello(reader.ReadString(), reader.ReadString()) { GatewayUrl = reader.ReadString(), DataPort = reader.ReadInt32(), Ticket = reader.ReadString(), Seal = ReadBytes(reader) },
            "C" => new Challenge(ReadBytes(reader)) { Salt = reader.ReadString() },
            "P" => new Proof(ReadBytes(reader), ReadBytes(reader)),
            "R" => new RouteRemoved(ReadBytes(reader)),
            _ => throw new System.Runtime.Serialization.SerializationException($"unknown cluster message manifest \"{manifest}\""),
        };
    }

    private static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>A nonce or MAC: anything longer than a few dozen bytes is not one.</summary>
    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length is < 0 or > 256) throw new System.Runtime.Serialization.SerializationException($"bad length {length}");
        return reader.ReadBytes(length);
    }

    /// <summary>Interest entries as node and gateway connections both send them.</summary>
    internal static void WriteEntries(BinaryWriter writer, IReadOnlyList<InterestEntry> entries)
    {
        writer.Write(entries.Count);
        foreach (var entry in entries)
        {
            writer.Write(entry.Account);
            writer.Write(entry.Subject);
            writer.Write(entry.Queue ?? "");
        }
    }

    internal static InterestEntry[] ReadEntries(BinaryReader reader)
    {
        var entries = new InterestEntry[reader.ReadInt32()];
        for (var i = 0; i < entries.Length; i++)
        {
            var account = reader.ReadString();
            var subject = reader.ReadString();
            var queue = reader.ReadString();
            entries[i] = new InterestEntry(account, subject, queue.Length == 0 ? null : queue);
        }
        return entries;
    }
}
