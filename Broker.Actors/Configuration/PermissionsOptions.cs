namespace Broker.Configuration;

/// <summary>
/// A user's <c>permissions</c>: which subjects it may publish to and subscribe to, and whether it
/// may answer requests it received on subjects it could not otherwise publish to.
/// </summary>
public sealed record PermissionsOptions
{
    public SubjectPermissionOptions? Publish { get; init; }
    public SubjectPermissionOptions? Subscribe { get; init; }
    public ResponsePermissionOptions? AllowResponses { get; init; }
}

/// <summary>
/// Allow and deny lists of subject patterns; a null allow list allows everything not denied. A
/// subscribe entry may name a queue group after the subject (<c>"foo.* workers"</c>).
/// </summary>
public sealed record SubjectPermissionOptions(IReadOnlyList<string>? Allow, IReadOnlyList<string>? Deny);

/// <summary>nats-server's <c>allow_responses</c>: up to <see cref="MaxMessages"/> replies within <see cref="Expires"/>.</summary>
public sealed record ResponsePermissionOptions(int MaxMessages, TimeSpan Expires)
{
    public static ResponsePermissionOptions Default { get; } = new(1, TimeSpan.FromMinutes(2));
}
