namespace Broker.Bench.Scenarios;

/// <summary>One figure a scenario reports; <see cref="HigherIsBetter"/> tells how to read a ratio.</summary>
internal sealed record Metric(string Name, double Value, string Unit, bool HigherIsBetter);
