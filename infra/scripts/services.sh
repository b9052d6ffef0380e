#!/usr/bin/env bash
# Installs (from Debian's packages, when absent) and starts the real peers the tests use:
# RabbitMQ with its management API, PostgreSQL 15, python3-zeep (independent SOAP client),
# python3-aiosmtpd (SMTP server), chromium and a CJK font (browser tests of /ops), kannel + kannel-extras (SMS gateway
# and fake SMS centre; the tests start their own boxes on free ports). Idempotent: safe to run again. Needs root.
set -euo pipefail

need=()
command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /usr/lib/postgresql/15 ] || need+=(postgresql)
/usr/bin/python3 -c 'import zeep' >/dev/null 2>&1 || need+=(python3-zeep)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/wqy ] || need+=(fonts-wqy-microhei)   # Chinese text in the browser tests' screenshots
[ -x /usr/sbin/bearerbox ] || need+=(kannel)                          # SMS gateway (bearerbox, smsbox) for the SMS tests
[ -x /usr/lib/kannel/test/fakesmsc ] || need+=(kannel-extras)        # fakesmsc, the SMS centre the SMS tests talk to
if [ ${#need[@]} -gt 0 ]; then
  echo "services: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL: the Debian cluster, password auth for the tests' connection string.
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main .*online'; then
  pg_ctlcluster 15 main start
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
su postgres -c "psql -qtAc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
# Parallel test suites and benchmarks each open pools of connections; Debian's default of 100 runs out.
if [ "$(su postgres -c "psql -qtAc 'SHOW max_connections'")" -lt 400 ]; then
  su postgres -c "psql -qtAc 'ALTER SYSTEM SET max_connections = 400'" >/dev/null
  pg_ctlcluster 15 main restart
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi

# RabbitMQ: detached server, management plugin for queue depths.
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  rabbitmq-server -detached
fi
rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1 || rabbitmqctl -q wait --timeout 120 /var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid
rabbitmq-plugins -q enable rabbitmq_management >/dev/null 2>&1 || true

echo "services: PostgreSQL on 127.0.0.1:5432, RabbitMQ on 127.0.0.1:5672 (management :15672)"
