using System.Text.Json.Serialization;

namespace Broker.Protocol;

/// <summary>Source-generated JSON for the protocol's JSON bodies (no reflection at run time).</summary>
[JsonSerializable(typeof(ConnectOptions))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSourceGenerationOptions(AllowTrailingCommas = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
