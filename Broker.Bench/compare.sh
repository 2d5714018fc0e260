#!/usr/bin/env bash
# Side-by-side benchmark: Broker against nats-server on this machine, same generator, alternating
# runs. Installs nats-server (Debian package) when missing, builds Release, and passes any extra
# arguments to "Broker.Bench compare" (e.g. --pairs 5, --scenarios 1-to-1,fan-out-5, --driver nats.net).
# The cross-node scenarios (a Broker cluster against a nats-server cluster) run with compare-cluster.sh,
# the cross-region ones (two regions joined by gateways) with compare-region.sh, the leaf-link ones
# (a hub and its leaf) with compare-leaf.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nats-server >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq nats-server) >/dev/null
fi

dotnet build Broker.Host -c Release -v quiet -nologo >/dev/null
dotnet build Broker.Bench -c Release -v quiet -nologo >/dev/null

mkdir -p Broker.Bench/results
json="Broker.Bench/results/$(date -u +%Y-%m-%d-%H%M)-${BENCH_LABEL:-compare}.json"
exec dotnet Broker.Bench/bin/Release/net10.0/Broker.Bench.dll compare \
  --broker Broker.Host/bin/Release/net10.0/Broker.Host.dll \
  --nats "$(command -v nats-server)" \
  --json "$json" "$@"
