using Broker.Configuration;

namespace Broker.Tests.Configuration;

public class SizeValueTests
{
    [Theory]
    [InlineData("1MB", 1L << 20)]
    [InlineData("1mb", 1L << 20)]
    [InlineData("1Mb", 1L << 20)]
    [InlineData("1MiB", 1L << 20)]
    [InlineData("1Mi", 1L << 20)]
    [InlineData("64KB", 64L << 10)]
    [InlineData("64kb", 64L << 10)]
    [InlineData("1Ki", 1L << 10)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("1TB", 1L << 40)]
    [InlineData("10 MB", 10L << 20)]
    public void Binary_units_are_powers_of_1024(string text, long bytes)
    {
        Assert.True(SizeValue.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    // nats-server 2.9 (checked against the binary): "1K" is 1000, "1M" 1000000, unlike "1KB".
    [Theory]
    [InlineData("64K", 64_000)]
    [InlineData("64k", 64_000)]
    [InlineData("1M", 1_000_000)]
    [InlineData("1G", 1_000_000_000)]
    [InlineData("2T", 2_000_000_000_000)]
    public void Bare_unit_letters_are_powers_of_1000(string text, long bytes)
    {
        Assert.True(SizeValue.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("4096", 4096)]
    [InlineData("0", 0)]
    [InlineData("-1", -1)]
    [InlineData(" 12 ", 12)]
    public void Plain_numbers_are_bytes(string text, long bytes)
    {
        Assert.True(SizeValue.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("-")]
    [InlineData("1XB")]
    [InlineData("1.5MB")]
    [InlineData("1B")]
    [InlineData("lots")]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999EB")]
    public void Other_text_is_refused(string text) => Assert.False(SizeValue.TryParse(text, out _));

    [Theory]
    [InlineData(64L << 20, "64MB")]
    [InlineData(1L << 30, "1GB")]
    [InlineData(4096, "4KB")]
    [InlineData(1000, "1000")]
    public void Format_writes_the_binary_unit(long bytes, string text) => Assert.Equal(text, SizeValue.Format(bytes));
}
