#!/usr/bin/env bash
# Cross-node benchmark: a Broker cluster against a nats-server cluster of the same size, started
# from the same configuration files (same `cluster` block; only the binary differs), a fresh
# cluster per run, publisher on node A and subscribers on node B (and C for the cross3- scenarios).
# Runs the 2-node scenarios (paced and firehose) by default; extra arguments go to "Broker.Bench compare", e.g.
#   Broker.Bench/compare-cluster.sh --pairs 5 --payloads 16
#   Broker.Bench/compare-cluster.sh --scenarios cross3-fan-out-4,cross3-queue-4     (3 nodes)
# A fresh clustered Broker node runs its hot path as tier-0 JIT code for seconds while Akka keeps
# jitting (about 3x the CPU of a warm node in the first run after a 2 s warm-up): both servers warm
# up 5 s here, so the figures are the steady state of long-running servers (--warmup-seconds N overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_LABEL="${BENCH_LABEL:-cluster}"
exec Broker.Bench/compare.sh --warmup-seconds 5 --scenarios cross-1-to-1,cross-fan-out-4,cross-queue-4,firehose-cross-1-to-1,firehose-cross-fan-out-4,firehose-cross-queue-4 "$@"
