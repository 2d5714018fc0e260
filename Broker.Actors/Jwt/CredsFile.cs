using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Broker.NKeys;

namespace Broker.Jwt;

/// <summary>
/// Reads and writes .creds files: a "-----BEGIN NATS USER JWT-----" block and a
/// "-----BEGIN USER NKEY SEED-----" block. Like the nats tools (Go's <c>userConfigRE</c>) any
/// line of three or more dashes around any text opens or closes a block, so the dash counts and
/// titles may vary; without a second block, the first line starting with "SU" is the seed.
/// </summary>
public static partial class CredsFile
{
    // A fence line, one token of base64url/base32 characters, another fence line.
    [GeneratedRegex(@"\s*(?:(?:-{3,}.*-{3,}\r?\n)([A-Za-z0-9_\-.=]+)(?:\r?\n-{3,}.*-{3,}(?:\r?\n|\z)))")]
    private static partial Regex Block();

    /// <summary>The JWT and seed of <paramref name="text"/>; <see cref="FormatException"/> when either is missing.</summary>
    public static UserCredentials Parse(string text) =>
        TryParse(text, out var credentials, out var error) ? credentials : throw new FormatException(error);

    /// <summary>
    /// The JWT and user seed of <paramref name="text"/>. The seed must be a valid user seed; the
    /// JWT is only extracted, decode and verify it with <see cref="JwtDecoder"/>.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out UserCredentials? credentials, [NotNullWhen(false)] out string? error)
    {
        credentials = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty credentials";
            return false;
        }
        var blocks = Block().Matches(text);
        if (blocks.Count == 0)
        {
            error = "no JWT block found in credentials";
            return false;
        }
        var jwt = blocks[0].Groups[1].Value;
        var seed = blocks.Count > 1 ? blocks[1].Groups[1].Value : FindSeedLine(text);
        if (seed is null)
        {
            error = "no nkey seed found";
            return false;
        }
        if (!seed.StartsWith("SU", StringComparison.Ordinal) || !NKeySeed.IsValid(seed))
        {
            error = "doesn't contain an user seed nkey";
            return false;
        }
        credentials = new UserCredentials(jwt, seed);
        error = null;
        return true;
    }

    /// <summary>A .creds file with the same layout as <c>nsc</c> and @nats-io/jwt write.</summary>
    public static string Format(string jwt, string seed)
    {
        var text = new StringBuilder();
        text.Append("-----BEGIN NATS USER JWT-----\n").Append(jwt).Append("\n------END NATS USER JWT------\n\n");
        text.Append("************************* IMPORTANT *************************\n");
        text.Append("NKEY Seed printed below can be used to sign and prove identity.\n");
        text.Append("NKEYs are sensitive and should be treated as secrets.\n\n");
        text.Append("-----BEGIN USER NKEY SEED-----\n").Append(seed).Append("\n------END USER NKEY SEED------\n\n");
        text.Append("*************************************************************\n");
        return text.ToString();
    }

    private static string? FindSeedLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("SU", StringComparison.Ordinal)) return trimmed;
        }
        return null;
    }
}
