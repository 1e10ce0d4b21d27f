#!/usr/bin/env bash
# `make start` (after `make pkg`): the Worker with the demo page, locally, in
# workerd via `wrangler dev`, with Durable Object and KV state kept on disk.
# Installs the freshly built package first, since the Worker imports it by name.
#
#   PORT=8787                         port on 127.0.0.1
#   PANDORA_STATE=.wrangler/state     where state persists (relative to where you run it)
set -euo pipefail
port=${PORT:-8787}
state=$(realpath -m "${PANDORA_STATE:-$(dirname "$0")/../.wrangler/state}")
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
# Request.cf is only filled from a download the Worker never reads: skip it,
# so starting offline gives no warnings.
export CLOUDFLARE_CF_FETCH_ENABLED=${CLOUDFLARE_CF_FETCH_ENABLED:-false}

scripts/install-pkg.sh

cat <<INFO

  pandora-mq on http://127.0.0.1:$port/
    demo page   http://127.0.0.1:$port/        (Remote mode uses http://127.0.0.1:$port/api)
    HTTP API    http://127.0.0.1:$port/api/    send, fetch, ack; admin routes on
    state       $state
  Try:
    curl -s -d sender=a@x -d receiver=b@x -d topic=hello http://127.0.0.1:$port/api/send
  Stop with Ctrl-C.

INFO

cd worker
# The admin routes are on here so the demo's Remote mode can list a mailbox;
# wrangler.toml keeps them off for deployments.
exec npx wrangler dev --local --ip 127.0.0.1 --port "$port" --persist-to "$state" --var PANDORA_ADMIN:on
