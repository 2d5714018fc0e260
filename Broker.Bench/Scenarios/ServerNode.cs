using System.Net;
using Broker.Bench.Drivers;

namespace Broker.Bench.Scenarios;

/// <summary>One server of the run (a single server, or one node of a cluster): where clients connect, its PID for /proc, and the driver that reaches it.</summary>
internal sealed record ServerNode(IPEndPoint Endpoint, int? Pid, ILoadDriver Driver);
