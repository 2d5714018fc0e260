#!/usr/bin/env bash
# Firehose benchmark (issue 22): every paced throughput scenario's firehose- variant, single node,
# cross-node and cross-region, Broker against nats-server, fresh servers per run. Publishers write
# pre-serialised PUB frames as fast as the socket takes them; subscribers parse every frame and
# count; a run that lost any message, or had a subscriber cut off, is reported as FAILED with what
# it lost. Extra arguments go to "Broker.Bench compare", e.g. --pairs 3 --payloads 16,1024.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_LABEL="${BENCH_LABEL:-firehose}"
exec Broker.Bench/compare.sh --scenarios firehose-1-to-1,firehose-fan-out-5,firehose-queue-4,firehose-4x4,firehose-cross-1-to-1,firehose-cross-fan-out-4,firehose-cross-queue-4,firehose-region-1-to-1,firehose-region-fan-out-4,firehose-region-queue-4 "$@"
