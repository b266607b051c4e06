#!/usr/bin/env bash
# What `npm test` needs from Debian besides Node: Chromium for the end-to-end tests, and under /usr/bin/python3
# NumPy (the NumPy snippet cross-check), PyTorch, scikit-learn and pytest (the Python bridge and the demo network).
# Installs what is missing when it can (root with apt-get), otherwise names the command to run and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
py=/usr/bin/python3
has_module() { [ -x "$py" ] && "$py" -c "import $1" >/dev/null 2>&1; }
has_module numpy || missing+=(python3-numpy)
has_module torch || missing+=(python3-torch)
has_module sklearn || missing+=(python3-sklearn)
has_module pytest || missing+=(python3-pytest)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
