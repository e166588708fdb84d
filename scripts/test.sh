#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, then runs `swift test`
# (arguments are passed on, e.g. scripts/test.sh --filter TmuxTests).
#   Debian: node-typescript (tsc checks the generated TypeScript), nodejs (runs it with the real
#           Zod), tmux (the TUI end-to-end
#           tests), libncurses-dev (the ncurses headers the TUI builds against)
#   PyPI:   openapi-spec-validator (validates the generated openapi.json)
set -euo pipefail
cd "$(dirname "$0")/.."

# Runs a command as root: directly when we are root, else through sudo when there is one.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "test.sh: not root and no sudo: cannot run $*" >&2
    return 1
  fi
}

need=()
command -v tsc >/dev/null 2>&1 || need+=(node-typescript)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
[ -f /usr/include/ncurses.h ] || need+=(libncurses-dev)
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${need[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: no apt-get here; install ${need[*]} (or their equivalents) yourself" >&2
  fi
fi

if ! python3 -c 'import openapi_spec_validator' >/dev/null 2>&1; then
  echo "== installing openapi-spec-validator"
  # A Debian system Python refuses pip installs (PEP 668) unless told otherwise.
  python3 -m pip install --quiet --disable-pip-version-check openapi-spec-validator \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages openapi-spec-validator
fi

echo "== tools: tsc $(tsc --version 2>/dev/null || echo missing), $(tmux -V 2>/dev/null || echo 'tmux missing')"
exec swift test "$@"
