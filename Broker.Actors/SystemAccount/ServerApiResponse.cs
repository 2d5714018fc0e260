using System.Text.Json.Serialization;

namespace Broker.SystemAccount;

/// <summary>
/// nats-server's <c>ServerAPIResponse</c>, the answer to <c>$SYS.REQ.SERVER.*.VARZ</c> and the like:
/// the server, and either the endpoint's data or an error.
/// </summary>
public sealed class ServerApiResponse<T>
    where T : class
{
    [JsonPropertyName("server")] public EventServerInfo Server { get; init; } = new();

    [JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public T? Data { get; init; }

    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ApiError? Error { get; init; }
}

/// <summary>Why a request got no data: 400 for options that do not parse, 500 for options the endpoint refuses.</summary>
public sealed class ApiError
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = "";
}
