#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries the seed tests start a throwaway cluster from are installed
# (Debian's postgresql package, under /usr/lib/postgresql/<version>/bin). The tests start and stop the server themselves.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
  echo "ci-postgres: found $(ls -d /usr/lib/postgresql/*/bin/initdb | head -n 1)"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "ci-postgres: installing Debian postgresql"
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
# The package starts a cluster of its own; the tests do not use it.
$sudo service postgresql stop > /dev/null 2>&1 || true

compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || { echo "ci-postgres: initdb still missing after install" >&2; exit 1; }
echo "ci-postgres: installed $(ls -d /usr/lib/postgresql/*/bin/initdb | head -n 1)"
