using System.Text.Json.Serialization;

namespace Broker.Jwt;

/// <summary>An account's JetStream limits (0 for storage means JetStream is off), per tier or flat.</summary>
public class JetStreamLimits
{
    [JsonPropertyName("mem_storage")] public long MemoryStorage { get; set; }
    [JsonPropertyName("disk_storage")] public long DiskStorage { get; set; }
    [JsonPropertyName("streams")] public long Streams { get; set; }
    [JsonPropertyName("consumer")] public long Consumer { get; set; }
    [JsonPropertyName("max_ack_pending")] public long MaxAckPending { get; set; }
    [JsonPropertyName("mem_max_stream_bytes")] public long MemoryMaxStreamBytes { get; set; }
    [JsonPropertyName("disk_max_stream_bytes")] public long DiskMaxStreamBytes { get; set; }
    [JsonPropertyName("max_bytes_required")] public bool MaxBytesRequired { get; set; }
}
