#!/usr/bin/env bash
# Leaf-link benchmark: a Broker hub and Broker leaf against a nats-server hub and nats-server leaf,
# started from the same configuration files (the hub's `leafnodes { listen, authorization { user,
# password } }`, the leaf's one remote with that user and password; only the binary differs), a
# fresh pair per run. Publishers on one side of the link and subscribers on the other (both
# directions, 1:1 and fan-out to 5, paced and firehose), and requests from the leaf to a responder
# on the hub. Extra arguments go to "Broker.Bench compare", e.g.
#   Broker.Bench/compare-leaf.sh --pairs 3 --payloads 16,1024
#   Broker.Bench/compare-leaf.sh --scenarios leaf-req-latency,leaf-req-32-in-flight
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_LABEL="${BENCH_LABEL:-leaf}"
exec Broker.Bench/compare.sh --scenarios leaf-to-hub-1-to-1,hub-to-leaf-1-to-1,hub-to-leaf-fan-out-5,leaf-to-hub-fan-out-5,firehose-leaf-to-hub-1-to-1,firehose-hub-to-leaf-1-to-1,firehose-hub-to-leaf-fan-out-5,firehose-leaf-to-hub-fan-out-5,leaf-req-latency,leaf-req-32-in-flight "$@"
