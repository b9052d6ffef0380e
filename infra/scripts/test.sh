#!/usr/bin/env bash
# Runs every test of the hub on a fresh Debian machine: starts the real servers (installing
# them when absent), builds once, runs the test projects, prints "N passed, N failed" last.
set -uo pipefail
cd "$(dirname "$0")/../.."

bash infra/scripts/services.sh || { echo "0 passed, 1 failed"; exit 1; }

export MASSTRANSIT_USAGE_TELEMETRY=false
export HUB_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres"
export HUB_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/"

results=TestResults
rm -rf "$results"
dotnet build CRM.Integration.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
# One test project at a time (-m:1): each project runs its own tests in parallel already, and on a shared two-core
# machine several hubs, brokers and a browser at once starve each other's heartbeats and timers.
dotnet test CRM.Integration.sln -c Release --no-build --nologo -m:1 --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
