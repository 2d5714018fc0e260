using Broker.Jwt;
using Broker.NKeys;

namespace Broker.Tests.Security;

/// <summary>.creds files as nsc, nats.js and hand editing leave them.</summary>
public class CredsFileTests
{
    private static SecurityVectors V => SecurityVectors.Official;

    [Fact]
    public void Formatting_then_parsing_gives_back_the_JWT_and_seed()
    {
        var text = CredsFile.Format(V.Jwts["user"], V.Keys["user"].Seed);
        var creds = CredsFile.Parse(text);
        Assert.Equal(V.Jwts["user"], creds.Jwt);
        Assert.Equal(V.Keys["user"].Seed, creds.Seed);
    }

    [Fact]
    public void Dash_counts_titles_and_line_endings_may_vary()
    {
        var text = $"""
                    ---BEGIN NATS USER JWT-------
                    {V.Jwts["signed_user"]}
                    ---END NATS USER JWT---

                    some comment
                    --------BEGIN USER NKEY SEED---
                    {V.Keys["signed_user"].Seed}
                    ---END USER NKEY SEED----------
                    """.Replace("\n", "\r\n");
        var creds = CredsFile.Parse(text);
        Assert.Equal(V.Jwts["signed_user"], creds.Jwt);
        Assert.Equal(V.Keys["signed_user"].Seed, creds.Seed);
    }

    [Fact]
    public void Without_a_seed_block_a_line_starting_with_SU_is_the_seed()
    {
        var text = $"-----BEGIN NATS USER JWT-----\n{V.Jwts["user"]}\n------END NATS USER JWT------\n\n  {V.Keys["user"].Seed}  \n";
        Assert.Equal(V.Keys["user"].Seed, CredsFile.Parse(text).Seed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just some text")]
    public void Text_without_blocks_is_refused(string text)
    {
        Assert.False(CredsFile.TryParse(text, out _, out var error));
        Assert.NotNull(error);
        Assert.Throws<FormatException>(() => CredsFile.Parse(text));
    }

    [Fact]
    public void A_missing_seed_or_a_seed_of_another_role_is_refused()
    {
        var noSeed = $"-----BEGIN NATS USER JWT-----\n{V.Jwts["user"]}\n------END NATS USER JWT------\n";
        Assert.False(CredsFile.TryParse(noSeed, out _, out var error));
        Assert.Equal("no nkey seed found", error);

        var accountSeed = CredsFile.Format(V.Jwts["user"], V.Keys["account"].Seed);
        Assert.False(CredsFile.TryParse(accountSeed, out _, out error));
        Assert.Equal("doesn't contain an user seed nkey", error);

        var seed = V.Keys["user"].Seed;
        var corrupted = CredsFile.Format(V.Jwts["user"], seed[..^1] + (seed[^1] == 'A' ? 'B' : 'A'));
        Assert.False(CredsFile.TryParse(corrupted, out _, out _));
    }

    [Fact]
    public void Credentials_never_print_their_seed()
    {
        var creds = CredsFile.Parse(V.Creds);
        Assert.DoesNotContain(creds.Seed, creds.ToString());
        using var pair = NKeyPair.FromSeed(creds.Seed);
        Assert.DoesNotContain(creds.Seed, pair.ToString());
    }
}
