#!/usr/bin/env bash
# The Python package's tests under Debian's python3 (the one with torch). pytest exits 5 when it
# collects no tests: that is a failure here too, since python/tests always holds some.
set -u
cd "$(dirname "$0")/.."
/usr/bin/python3 -m pytest -q -p no:cacheprovider python/tests "$@"
code=$?
if [ "$code" -eq 5 ]; then
  echo "test:python: pytest collected no tests in python/tests" >&2
fi
exit "$code"
