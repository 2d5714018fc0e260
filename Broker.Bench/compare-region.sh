#!/usr/bin/env bash
# Cross-region benchmark: a Broker supercluster against a nats-server supercluster, two regions
# (A and B) joined by gateways, started from the same configuration files (same `gateway` block,
# and `cluster` block for regions of 2; only the binary differs), fresh per run, publisher in
# region A and subscribers in region B. Runs the 1-node-region scenarios (paced and firehose) by default; extra
# arguments go to "Broker.Bench compare", e.g.
#   Broker.Bench/compare-region.sh --pairs 3 --payloads 16,1024
#   Broker.Bench/compare-region.sh --scenarios region2-fan-out-4     (regions of 2 nodes)
# A fresh clustered Broker node runs its hot path as tier-0 JIT code for seconds while Akka keeps
# jitting (about 3x the CPU of a warm node in the first run after a 2 s warm-up): both servers warm
# up 5 s here, so the figures are the steady state of long-running servers (--warmup-seconds N overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_LABEL="${BENCH_LABEL:-region}"
exec Broker.Bench/compare.sh --warmup-seconds 5 --scenarios region-1-to-1,region-fan-out-4,region-queue-4,firehose-region-1-to-1,firehose-region-fan-out-4,firehose-region-queue-4 "$@"
