using System.Text.RegularExpressions;

namespace Broker.Configuration;

/// <summary>
/// The shape of a bcrypt hash as <c>nats server passwd</c> writes it: <c>$2a$</c> (or 2b, 2x, 2y), a
/// two-digit cost from 04 to 31, then 53 characters of bcrypt's base64. A password that starts like
/// one but is not one would make every login of its user fail inside the hash library, so it is
/// refused at load instead.
/// </summary>
public static partial class BcryptHash
{
    /// <summary>Whether <paramref name="password"/> claims to be a bcrypt hash (nats-server's <c>$2a$</c> family).</summary>
    public static bool LooksLikeOne(string password) => LooksLike().IsMatch(password);

    public static bool IsValid(string password)
    {
        var match = Shape().Match(password);
        return match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is >= 4 and <= 31;
    }

    [GeneratedRegex(@"^\$2[abxy]?\$")]
    private static partial Regex LooksLike();

    [GeneratedRegex(@"^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$")]
    private static partial Regex Shape();
}
