#!/usr/bin/env bash
# Runs the geo index benchmark with Redis (Debian's redis-server) as the peer on a random localhost port.
# Usage: bench/GeoIndex/run.sh [--quick]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$here/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
cd "$here"
dotnet run -c Release --project UberClone.Bench.GeoIndex.csproj -- --redis "127.0.0.1:$port" "$@"
