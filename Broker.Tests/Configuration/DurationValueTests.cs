using Broker.Configuration;

namespace Broker.Tests.Configuration;

public class DurationValueTests
{
    [Theory]
    [InlineData("2m", 120_000)]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h1m1s", 3_661_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500\u00b5s", 1.5)]
    [InlineData("2000000ns", 2)]
    [InlineData("+5s", 5_000)]
    [InlineData("-1s", -1_000)]
    [InlineData("0s", 0)]
    [InlineData(" 10s ", 10_000)]
    public void Go_durations(string text, double milliseconds)
    {
        Assert.True(DurationValue.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("0.25", 250)]
    [InlineData("-3", -3_000)]
    public void Plain_numbers_are_seconds(string text, long milliseconds)
    {
        Assert.True(DurationValue.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-")]
    [InlineData("10 parsecs")]
    [InlineData("10x")]
    [InlineData("10S")]
    [InlineData("m10")]
    [InlineData("1m30")]
    [InlineData("1e3")]
    [InlineData("soon")]
    [InlineData("99999999999999999h")]
    public void Other_text_is_refused(string text) => Assert.False(DurationValue.TryParse(text, out _));
}
