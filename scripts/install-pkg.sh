#!/usr/bin/env bash
# Packs pkg/ as npm would publish it and unpacks the tarball as
# node_modules/pandora-mq, so JS tests import the package by its name.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/npm
tarball=$(cd pkg && npm pack --silent --pack-destination ../target/npm)
rm -rf node_modules/pandora-mq
mkdir -p node_modules/pandora-mq
tar xzf "target/npm/$tarball" -C node_modules/pandora-mq --strip-components=1
echo "installed target/npm/$tarball as node_modules/pandora-mq"
