using Broker.Bench.Allocations;

namespace Broker.Tests.Bench;

/// <summary>
/// The publish path allocates nothing per message from any source (issue 15), nor does a response
/// a gateway forwards to another node beyond its batch's own costs: a path that starts allocating
/// per message shows here as one object (24 bytes or more) per message, far over the bound.
/// </summary>
public class PublishAllocationTests
{
    [Fact]
    public void Every_source_publishes_without_allocating_per_message()
    {
        var rows = PublishAllocations.Measure(messages: 100_000);
        Assert.Equal(8, rows.Count);
        foreach (var row in rows)
        {
            Assert.True(row.Delivered >= row.Messages, $"{row.Path}: only {row.Delivered} deliveries for {row.Messages} messages");
            Assert.True(row.BytesPerMessage < 0.05 + row.Allowance, $"{row.Path}: {row.BytesPerMessage:0.00} bytes allocated per message");
        }
    }
}
