namespace Broker.Jwt;

/// <summary>The values of <c>nats.type</c> (or the legacy top-level <c>type</c>).</summary>
public static class ClaimTypes
{
    public const string Operator = "operator";
    public const string Account = "account";
    public const string User = "user";
    public const string Activation = "activation";
    public const string Generic = "generic";
}
