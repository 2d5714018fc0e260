#!/usr/bin/env bash
# Cross-node benchmark: a Broker cluster against a nats-server cluster of the same size, started
# from the same configuration files (same `cluster` block; only the binary differs), a fresh
# cluster per run, publisher on node A and subscribers on node B (and C for the cross3- scenarios).
# Runs the 2-node scenarios (paced and firehose) by default; extra arguments go to "Broker.Bench compare", e.g.
#   Broker.Bench/compare-cluster.sh --pairs 5 --payloads 16
#   Broker.Bench/compare-cluster.sh --scenarios cross3-fan-out-4,cross3-queue-4     (3 nodes)
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_LABEL="${BENCH_LABEL:-cluster}"
exec Broker.Bench/compare.sh --scenarios cross-1-to-1,cross-fan-out-4,cross-queue-4,firehose-cross-1-to-1,firehose-cross-fan-out-4,firehose-cross-queue-4 "$@"
