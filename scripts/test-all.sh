#!/usr/bin/env bash
# Runs every test of UberClone on a fresh Debian 12 machine with the .NET 10 SDK:
# installs what the tests need, builds, runs all test projects, prints "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NEXT_TELEMETRY_DISABLED=1

need_apt=()
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${need_apt[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null) \
      || echo "warning: could not install ${need_apt[*]}; tests that need them will be skipped"
  else
    echo "warning: not root, cannot install ${need_apt[*]}; tests that need them will be skipped"
  fi
fi

echo "== web app dependencies"
(cd web && npm ci --no-audit --no-fund --loglevel=error)

echo "== restore and build"
dotnet restore UberClone.sln
dotnet build UberClone.sln --no-restore -c Debug

echo "== tests"
# The browser project is the longest (about 30 minutes on 2 cores): it starts first, beside the solution's other test
# projects (a solution filter of every project but it, made from the solution, so a new test project is never left out),
# rather than whenever `dotnet test --solution` reaches it. The limit leaves room for a slower machine while the whole
# run, with restore and build, stays within CI's 90 minutes.
browser=tests/UberClone.Browser.Tests/UberClone.Browser.Tests.csproj
others=UberClone.NoBrowser.slnf
browser_log=$(mktemp)
others_log=$(mktemp)
dotnet sln UberClone.sln list | grep -E '\.csproj$' | grep -vF "$(basename "$browser")" \
  | python3 -c 'import json, sys; print(json.dumps({"solution": {"path": "UberClone.sln", "projects": [l.strip() for l in sys.stdin]}}))' > "$others"
set +e
timeout 70m dotnet test --project "$browser" --no-build -c Debug > "$browser_log" 2>&1 &
browser_pid=$!
timeout 70m dotnet test --solution "$others" --no-build -c Debug 2>&1 | tee "$others_log"
others_status=${PIPESTATUS[0]}
wait "$browser_pid"
browser_status=$?
set -e
rm -f "$others"
echo "== browser tests (run beside the others)"
cat "$browser_log"

# Microsoft.Testing.Platform prints one summary per run: total / failed / succeeded / skipped.
count() { grep -E "^\s*$1:" "$2" | tail -1 | grep -oE '[0-9]+' || echo 0; }
failed=$(( $(count failed "$others_log") + $(count failed "$browser_log") ))
passed=$(( $(count succeeded "$others_log") + $(count succeeded "$browser_log") ))
skipped=$(( $(count skipped "$others_log") + $(count skipped "$browser_log") ))
rm -f "$others_log" "$browser_log"

status=0
for run_status in "$others_status" "$browser_status"; do
  [ "$run_status" -eq 0 ] || status=$run_status
done
if [ "$status" -ne 0 ] && [ "$failed" = 0 ]; then
  # A runner failed without counting a failed test (crash, timeout, build error): count it as one.
  failed=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ]
