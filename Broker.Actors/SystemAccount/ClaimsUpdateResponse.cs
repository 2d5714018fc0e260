using System.Text.Json.Serialization;

namespace Broker.SystemAccount;

/// <summary>The answer to a claims update, as nats-server's resolver gives it: <c>data</c> on success, <c>error</c> otherwise.</summary>
public sealed class ClaimsUpdateResponse
{
    /// <summary>The answering server; every resolver server answers, so requesters tell them apart by it.</summary>
    [JsonPropertyName("server"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EventServerInfo? Server { get; init; }

    [JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClaimsUpdateData? Data { get; init; }

    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClaimsUpdateError? Error { get; init; }
}

public sealed class ClaimsUpdateData
{
    [JsonPropertyName("account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Account { get; init; }
    [JsonPropertyName("code")] public int Code { get; init; } = 200;
    [JsonPropertyName("message")] public string Message { get; init; } = "";
}

public sealed class ClaimsUpdateError
{
    [JsonPropertyName("account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Account { get; init; }
    [JsonPropertyName("code")] public int Code { get; init; } = 500;
    [JsonPropertyName("description")] public string Description { get; init; } = "";
}
