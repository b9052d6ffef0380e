#!/usr/bin/env bash
# Benchmarks the thin order flow (embedded, and RabbitMQ + PostgreSQL) against raw RabbitMQ.Client;
# writes docs/benchmarks.md. Usage: bash infra/scripts/bench.sh [orders]
# Screen pop at scale (its own section of docs/benchmarks.md): bash infra/scripts/bench.sh screen-pop [customers=1000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/services.sh
export MASSTRANSIT_USAGE_TELEMETRY=false
if [ "${1:-}" = "screen-pop" ]; then
  dotnet run -c Release --project infra/Hub.Bench -- screen-pop "${2:-1000000}" docs/benchmarks.md
else
  dotnet run -c Release --project infra/Hub.Bench -- "${1:-300}" docs/benchmarks.md
fi
