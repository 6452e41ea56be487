#!/usr/bin/env bash
# Runs every test in Dashboard.sln and prints, as its last line, "N passed, N failed[, N skipped]".
# Exit code: dotnet test's.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here); the store and
# backplane tests start PostgreSQL and Redis from Debian's binaries. install-deps does nothing when all are there,
# installs them as root, and otherwise says what to install.
bash .ci/install-deps

results="TestResults/test-sh"
rm -rf "$results"
mkdir -p "$results"

rc=0
dotnet test Dashboard.sln \
  --logger "console;verbosity=normal" \
  --logger "trx" \
  --results-directory "$results" \
  --blame-hang-timeout 15m --blame-hang-dump-type none \
  </dev/null || rc=$?

# Sum the counters of every .trx (one per test project):
#   <Counters total="" executed="" passed="" failed="" error="" timeout="" aborted="" .../>  (skipped = total - executed)
summary=$( { find "$results" -name '*.trx' -exec grep -ho '<Counters [^>]*>' {} + 2>/dev/null || true; } | awk '
  function attr(name,   m) { return match($0, " " name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4) + 0 : 0 }
  { p += attr("passed"); f += attr("failed") + attr("error") + attr("timeout") + attr("aborted"); s += attr("total") - attr("executed") }
  END { line = (p + 0) " passed, " (f + 0) " failed"; if (s > 0) line = line ", " s " skipped"; print line }')

if [ "$rc" -ne 0 ] && [[ "$summary" == *" 0 failed"* ]]; then
  echo "test.sh: dotnet test exited $rc although no test failed: a build error, or a test host that crashed or hung (see above)" >&2
fi
echo "$summary"
exit "$rc"
