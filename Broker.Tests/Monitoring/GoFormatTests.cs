using Broker.Monitoring;

namespace Broker.Tests.Monitoring;

public class GoFormatTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "100ns")]
    [InlineData(10L, "1µs")]
    [InlineData(2810L, "281µs")]
    [InlineData(2815L, "281.5µs")]
    [InlineData(12345L, "1.2345ms")]
    [InlineData(10_000_000L, "1s")]
    [InlineData(15_000_000L, "1.5s")]
    [InlineData(900_000_000L, "1m30s")]
    [InlineData(36_000_000_000L, "1h0m0s")]
    [InlineData(36_610_000_000L, "1h1m1s")]
    [InlineData(-15_000_000L, "-1.5s")]
    public void Durations_read_as_go_prints_them(long ticks, string expected) =>
        Assert.Equal(expected, GoFormat.Duration(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(61, "1m1s")]
    [InlineData(3600, "1h0m0s")]
    [InlineData(90061, "1d1h1m1s")]
    [InlineData(365 * 86400 + 1, "1y0d0h0m1s")]
    public void Uptime_is_nats_server_s_form(int seconds, string expected) =>
        Assert.Equal(expected, GoFormat.Uptime(TimeSpan.FromSeconds(seconds) + TimeSpan.FromMilliseconds(999)));

    [Theory]
    [InlineData(0L, "2026-11-25T09:01:41Z")]
    [InlineData(4_927_656L, "2026-11-25T09:01:41.4927656Z")]
    [InlineData(4_900_000L, "2026-11-25T09:01:41.49Z")]
    public void Times_are_rfc3339_with_trailing_zeros_trimmed(long fractionTicks, string expected)
    {
        var time = new DateTime(2026, 11, 25, 9, 1, 41, DateTimeKind.Utc).AddTicks(fractionTicks);
        Assert.Equal(expected, GoFormat.Time(time));
    }
}
