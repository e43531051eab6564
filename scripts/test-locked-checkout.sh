#!/usr/bin/env bash
# Runs the tests that switch to another user (nobody) from a clone of this checkout that only root may enter, at a
# path with a space: what a Debian home directory (0700) gives a person who clones the project there and runs the
# tests as root. Those tests must copy what the other user runs out of the checkout (test/helpers/readable-copy.ts);
# this proves they do. Needs root, a built dist/ and node_modules (both are linked into the clone, not rebuilt).
# Ends with the "N passed, N failed" line of scripts/run-tests.mjs and its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "test-locked-checkout: needs root (the tests switch to nobody only as root)" >&2
  exit 1
fi
checkout="$PWD"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
home="$tmp/home of m2m"
mkdir -m 0700 "$home"
git clone --quiet "$checkout" "$home/m2m-bridge"
cd "$home/m2m-bridge"
ln -s "$checkout/node_modules" node_modules
ln -s "$checkout/dist" dist
# Every test that hands a process to another user goes through readableCopy; run those.
mapfile -t files < <(grep -rl --include='*.test.ts' 'readableCopy(' test | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "test-locked-checkout: no test uses readableCopy (is the checkout committed?)" >&2
  exit 1
fi
echo "from ${home}/m2m-bridge: ${files[*]}"
node scripts/run-tests.mjs "${files[@]}"
