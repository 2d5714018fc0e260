using System.Text.Json;

namespace Broker.Tests.Security;

/// <summary>
/// The checked-in output of Vectors/generate-vectors.js: keys, signatures, JWTs and a .creds file
/// made by the official @nats-io/nkeys and @nats-io/jwt packages.
/// </summary>
public sealed class SecurityVectors
{
    public sealed record KeyVector(string Name, string Type, string Seed, string PublicKey,
        string? NonceSigBase64Url, string? NonceSigBase64, string? DataSigBase64Url);

    private static readonly Lazy<SecurityVectors> Instance = new(Load);

    public static SecurityVectors Official => Instance.Value;

    public required long GeneratedAt { get; init; }
    public required long RevokedAt { get; init; }
    public required string Nonce { get; init; }
    public required byte[] Data { get; init; }
    public required IReadOnlyDictionary<string, KeyVector> Keys { get; init; }
    public required IReadOnlyDictionary<string, string> Jwts { get; init; }
    public required string Creds { get; init; }

    public DateTimeOffset GeneratedTime => DateTimeOffset.FromUnixTimeSeconds(GeneratedAt);

    public static IEnumerable<object[]> KeyNames() => Official.Keys.Keys.Select(k => new object[] { k });

    public static IEnumerable<object[]> SigningKeyNames() =>
        Official.Keys.Values.Where(k => k.Type != "curve").Select(k => new object[] { k.Name });

    public static IEnumerable<object[]> JwtNames() => Official.Jwts.Keys.Select(k => new object[] { k });

    private static SecurityVectors Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Security", "Vectors", "nkeys-jwt-vectors.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var keys = new Dictionary<string, KeyVector>();
        foreach (var k in root.GetProperty("keys").EnumerateObject())
        {
            string? Optional(string name) => k.Value.TryGetProperty(name, out var v) ? v.GetString() : null;
            keys[k.Name] = new KeyVector(k.Name, k.Value.GetProperty("type").GetString()!,
                k.Value.GetProperty("seed").GetString()!, k.Value.GetProperty("public_key").GetString()!,
                Optional("nonce_sig_base64url"), Optional("nonce_sig_base64"), Optional("data_sig_base64url"));
        }
        return new SecurityVectors
        {
            GeneratedAt = root.GetProperty("generated_at").GetInt64(),
            RevokedAt = root.GetProperty("revoked_at").GetInt64(),
            Nonce = root.GetProperty("nonce").GetString()!,
            Data = Convert.FromBase64String(root.GetProperty("data_base64").GetString()!),
            Keys = keys,
            Jwts = root.GetProperty("jwts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            Creds = root.GetProperty("creds").GetString()!,
        };
    }
}
