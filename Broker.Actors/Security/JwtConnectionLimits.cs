using System.Globalization;
using System.Net;
using Broker.Jwt;

namespace Broker.Security;

/// <summary>
/// The limits a user JWT puts on where and when it may connect: source networks (<c>src</c>),
/// daily time windows (<c>times</c>, in <c>times_location</c> or UTC) and connection types
/// (<c>allowed_connection_types</c>: a plain client connection is <c>STANDARD</c>). Checked when
/// the client connects; the end of its time window closes it later (<see cref="WindowEnd"/>).
/// </summary>
internal static class JwtConnectionLimits
{
    private const string Standard = "STANDARD";

    public static bool Allow(UserPermissionLimits user, IPAddress? remote, DateTimeOffset now) =>
        SourceAllowed(user.Src, remote) && TimeAllowed(user.Times, user.TimesLocation, now) && TypeAllowed(user.AllowedConnectionTypes);

    private static bool SourceAllowed(List<string>? sources, IPAddress? remote)
    {
        if (sources is null || sources.Count == 0) return true;
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        foreach (var source in sources)
        {
            var text = source.Trim();
            if (IPNetwork.TryParse(text.Contains('/') ? text : text + (text.Contains(':') ? "/128" : "/32"), out var network) && network.Contains(remote))
                return true;
        }
        return false;
    }

    private static bool TimeAllowed(List<TimeRange>? ranges, string? location, DateTimeOffset now)
    {
        if (ranges is null || ranges.Count == 0) return true;
        var local = now;
        if (!string.IsNullOrEmpty(location))
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(location, out var zone)) return false;
            local = TimeZoneInfo.ConvertTime(now, zone);
        }
        var time = local.TimeOfDay;
        foreach (var range in ranges)
        {
            if (!TryTime(range.Start, out var start) || !TryTime(range.End, out var end)) continue;
            // A range may wrap past midnight (22:00:00 to 02:00:00).
            if (start <= end ? time >= start && time < end : time >= start || time < end) return true;
        }
        return false;
    }

    /// <summary>
    /// When the daily window the user is in at <paramref name="now"/> ends (as nats-server's
    /// <c>validateTimes</c>, which times the connection's expiry to it); null without windows or outside them.
    /// </summary>
    public static DateTimeOffset? WindowEnd(UserPermissionLimits user, DateTimeOffset now)
    {
        if (user.Times is not { Count: > 0 } ranges) return null;
        var local = now;
        if (!string.IsNullOrEmpty(user.TimesLocation))
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(user.TimesLocation, out var zone)) return null;
            local = TimeZoneInfo.ConvertTime(now, zone);
        }
        var time = local.TimeOfDay;
        foreach (var range in ranges)
        {
            if (!TryTime(range.Start, out var start) || !TryTime(range.End, out var end)) continue;
            var untilEnd = end - time;
            if (start <= end ? time >= start && time < end : time >= start || time < end)
                return now + (untilEnd > TimeSpan.Zero ? untilEnd : untilEnd + TimeSpan.FromDays(1));
        }
        return null;
    }

    private static bool TryTime(string? text, out TimeSpan time) =>
        TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out time);

    private static bool TypeAllowed(List<string>? types) =>
        types is null || types.Count == 0 || types.Any(t => t.Equals(Standard, StringComparison.OrdinalIgnoreCase));
}
