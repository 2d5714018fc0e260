using Broker.Configuration;

namespace Broker.Tests.Configuration;

public class ValueFormTests
{
    [Theory]
    [InlineData("2m", 120_000)]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("30", 30_000)]
    [InlineData("0.25", 250)]
    public void Durations_take_go_and_plain_second_forms(string text, long milliseconds)
    {
        Assert.True(DurationValue.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10 parsecs")]
    [InlineData("10x")]
    [InlineData("m10")]
    public void Bad_durations_are_refused(string text) => Assert.False(DurationValue.TryParse(text, out _));

    [Theory]
    [InlineData("1MB", 1L << 20)]
    [InlineData("1mb", 1L << 20)]
    [InlineData("64KB", 64L << 10)]
    [InlineData("64K", 64L << 10)]
    [InlineData("1G", 1L << 30)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("4096", 4096)]
    [InlineData("10 MB", 10L << 20)]
    public void Sizes_take_nats_server_forms(string text, long bytes)
    {
        Assert.True(SizeValue.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("1XB")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public void Bad_sizes_are_refused(string text) => Assert.False(SizeValue.TryParse(text, out _));
}
