using Broker.Jwt;

namespace Broker.Configuration;

/// <summary>
/// An account JWT as an account of this broker: its exports, the imports it may have (from
/// accounts this server knows, of subjects exported to it, private ones only with a valid
/// activation token) and its limits. Used at start and when claims are updated.
/// </summary>
public static class JwtAccounts
{
    public static AccountOptions ToOptions(AccountClaims claims, IReadOnlyDictionary<string, AccountClaims> all, DateTimeOffset now)
    {
        var key = claims.Subject!;
        var exports = (claims.Nats.Exports ?? []).Where(e => e.Subject is not null).Select(e => new ExportOptions(e.IsService ? ExportKind.Service : ExportKind.Stream, e.Subject!)
        {
            // A private export is open to exactly the importers that hold a valid activation for it.
            Accounts = e.TokenRequired ? ActivatedImporters(claims, e, all, now) : null,
            ResponseType = e.ResponseType?.ToLowerInvariant() switch { "stream" => ResponseType.Stream, "chunked" => ResponseType.Chunked, _ => ResponseType.Singleton },
            ResponseThreshold = e.ResponseThresholdNanoseconds > 0 ? TimeSpan.FromTicks(e.ResponseThresholdNanoseconds / 100) : TimeSpan.FromMinutes(2),
            Latency = e.Latency is { Results: { } results } latency ? new LatencyOptions(Math.Clamp(latency.Sampling, 1, 100), results) : null,
        }).ToList();
        // Imports from accounts this server does not know, or not allowed, are left out, as nats-server does.
        var imports = (claims.Nats.Imports ?? [])
            .Where(i => RefusalOf(i, key, all, now) is null)
            .Select(i => i.IsService
                ? new ImportOptions(ExportKind.Service, i.Account!, i.Subject!) { To = i.LocalSubject ?? i.To }
                : new ImportOptions(ExportKind.Stream, i.Account!, i.Subject!) { To = i.LocalSubject, Prefix = i.LocalSubject is null ? i.To : null })
            .ToList();
        var limits = claims.Nats.Limits is { } jwtLimits
            ? new AccountLimits(AccountLimits.FromJwt(jwtLimits.Connections), AccountLimits.FromJwt(jwtLimits.Subs), AccountLimits.FromJwt(jwtLimits.Payload))
            : AccountLimits.None;
        return new AccountOptions(key) { Exports = exports, Imports = imports, Limits = limits };
    }

    /// <summary>Why each of the account's imports is left out (an unknown exporter, nothing exported, no valid activation), for the log.</summary>
    public static IEnumerable<string> RefusedImports(AccountClaims claims, IReadOnlyDictionary<string, AccountClaims> all, DateTimeOffset now) =>
        (claims.Nats.Imports ?? []).Select(i => RefusalOf(i, claims.Subject!, all, now) is { } why
            ? $"Account {claims.Subject}: {i.Type} import of \"{i.Subject}\" from {i.Account} refused: {why}"
            : null).OfType<string>();

    private static string? RefusalOf(Import import, string importerKey, IReadOnlyDictionary<string, AccountClaims> all, DateTimeOffset now)
    {
        if (import.Subject is null || import.Account is null) return "no subject or account";
        if (import.Account == importerKey) return "an account cannot import from itself";
        if (!all.TryGetValue(import.Account, out var exporter)) return "the exporting account is not known to this server";
        if (ExportFor(exporter, import) is not { } export) return "the account does not export it";
        if (export.TokenRequired && !ActivationValid(import, exporter, export, importerKey, now)) return "the export is private and the import has no valid activation token";
        return null;
    }

    private static Export? ExportFor(AccountClaims exporter, Import import) =>
        exporter.Nats.Exports?.FirstOrDefault(e => e.Type == import.Type && e.Subject is not null && Subjects.SubjectPatterns.IsSubsetOf(import.Subject!, e.Subject));

    private static List<string> ActivatedImporters(AccountClaims exporter, Export export, IReadOnlyDictionary<string, AccountClaims> all, DateTimeOffset now) =>
        all.Values.Where(importer => importer.Nats.Imports?.Any(i => i.Account == exporter.Subject && ExportFor(exporter, i) == export
            && ActivationValid(i, exporter, export, importer.Subject!, now)) == true).Select(a => a.Subject!).ToList();

    private static bool ActivationValid(Import import, AccountClaims exporter, Export export, string importerKey, DateTimeOffset now) =>
        import.Token is { } token && JwtDecoder.TryDecode<ActivationClaims>(token, out var activation, out _)
        && JwtTrust.CheckActivation(activation, exporter, importerKey, now, export) == JwtVerdict.Valid;

}
