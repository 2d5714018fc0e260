using System.Text.Json.Serialization;

namespace Broker.Accounts;

/// <summary>Source-generated JSON for the messages accounts publish (no reflection at run time).</summary>
[JsonSerializable(typeof(ServiceLatencySample))]
internal sealed partial class AccountJsonContext : JsonSerializerContext;
