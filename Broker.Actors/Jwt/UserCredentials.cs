namespace Broker.Jwt;

/// <summary>
/// The two parts of a .creds file: the user JWT and the user's seed. <see cref="ToString"/> leaves
/// the seed out, so logging this never leaks it.
/// </summary>
public sealed record UserCredentials(string Jwt, string Seed)
{
    public override string ToString() => $"UserCredentials {{ Jwt = {Jwt}, Seed = <redacted> }}";
}
