#!/usr/bin/env bash
# Benchmarks the thin order flow (embedded, and RabbitMQ + PostgreSQL) against raw RabbitMQ.Client;
# writes docs/benchmarks.md. Usage: bash infra/scripts/bench.sh [orders]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/services.sh
export MASSTRANSIT_USAGE_TELEMETRY=false
dotnet run -c Release --project infra/Hub.Bench -- "${1:-300}" docs/benchmarks.md
