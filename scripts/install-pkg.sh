#!/usr/bin/env bash
# Packs pkg/ as npm would publish it and unpacks the tarball as
# node_modules/pandora-mq, so tests import the package by its name. The new copy
# is unpacked aside and swapped in by rename, so a concurrent reader never sees
# a half-installed package.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/npm
# Readers that need a stable copy for longer (the Worker's bundler, in
# tests/worker/start-miniflare.js) hold the same lock.
exec 9>target/pkg-install.lock
flock --wait 300 9
tarball=$(cd pkg && npm pack --silent --pack-destination ../target/npm)
fresh=$(mktemp -d node_modules/.pandora-mq.XXXXXX)
tar xzf "target/npm/$tarball" -C "$fresh" --strip-components=1
chmod 755 "$fresh"
old=$(mktemp -d node_modules/.pandora-mq-old.XXXXXX)
[[ -d node_modules/pandora-mq ]] && mv node_modules/pandora-mq "$old/"
mv "$fresh" node_modules/pandora-mq
rm -rf "$old"
echo "installed target/npm/$tarball as node_modules/pandora-mq"
