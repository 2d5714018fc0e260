using Broker.Jwt;
using Broker.Security;

namespace Broker.Tests.Security;

/// <summary>When a user's daily <c>times</c> window ends (its connection expires then), for plain and midnight-wrapping windows.</summary>
public sealed class JwtTimeWindowTests
{
    private static UserPayload Windows(string? location, params (string Start, string End)[] ranges) => new()
    {
        Times = ranges.Select(r => new TimeRange { Start = r.Start, End = r.End }).ToList(),
        TimesLocation = location,
    };

    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Inside_a_window_it_ends_at_the_windows_end() =>
        Assert.Equal(Noon.AddHours(5), JwtConnectionLimits.WindowEnd(Windows(null, ("08:00:00", "17:00:00")), Noon));

    [Fact]
    public void The_window_the_user_is_in_counts_not_the_first_listed() =>
        Assert.Equal(Noon.AddMinutes(30), JwtConnectionLimits.WindowEnd(Windows(null, ("01:00:00", "02:00:00"), ("11:00:00", "12:30:00")), Noon));

    [Fact]
    public void A_window_past_midnight_ends_tomorrow_in_the_evening_and_today_in_the_morning()
    {
        var wrapping = Windows(null, ("22:00:00", "02:00:00"));
        var evening = new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero), JwtConnectionLimits.WindowEnd(wrapping, evening));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero), JwtConnectionLimits.WindowEnd(wrapping, morning));
    }

    [Fact]
    public void Times_location_shifts_the_window() =>
        // 12:00 UTC is 13:00 in Berlin (winter): a 08:00-14:00 Berlin window ends at 13:00 UTC.
        Assert.Equal(Noon.AddHours(1), JwtConnectionLimits.WindowEnd(Windows("Europe/Berlin", ("08:00:00", "14:00:00")), Noon));

    [Fact]
    public void Without_windows_or_outside_them_there_is_no_end()
    {
        Assert.Null(JwtConnectionLimits.WindowEnd(new UserPayload(), Noon));
        Assert.Null(JwtConnectionLimits.WindowEnd(Windows(null, ("13:00:00", "14:00:00")), Noon));
    }
}
