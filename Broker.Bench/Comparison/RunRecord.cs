using Broker.Bench.Scenarios;

namespace Broker.Bench.Comparison;

/// <summary>One run of one scenario against one server; <see cref="Error"/> is set when the run failed.</summary>
internal sealed record RunRecord(string Scenario, int PayloadSize, ServerKind Server, int Pair, ScenarioResult? Result, string? Error);
