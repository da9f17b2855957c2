#!/usr/bin/env bash
# Installs the Debian packages the integration tests use (test/integration/apt-packages.txt) when they are
# missing: with apt-get, quietly, when run as root. Otherwise it says the one command to run and returns 0, so
# the tests still run, and those that need a missing program fail, each saying what is missing.
set -euo pipefail
cd "$(dirname "$0")"

mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' apt-packages.txt)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
((${#missing[@]})) || exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null; then
  echo "test:integration: missing ${missing[*]}. These tests use Debian's packages (Debian 12 or Ubuntu): there, run as root: $command" >&2
elif [[ $(id -u) -ne 0 ]]; then
  echo "test:integration: missing ${missing[*]}. Install them as root, then run the tests again: sudo $command" >&2
else
  echo "test:integration: apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
