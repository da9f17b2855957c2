#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, OUTSIDE the repo, once (see ../../../../shared/TOOLING.md):
# Debian's Chromium, ripgrep and libkrb5-dev; code-server 4.100.3 (VS Code 1.100.3, a real workbench and a real
# Node extension host) and playwright-core 1.65.1 into ${MIGRATION_GUARD_E2E_CACHE:-/var/cache/migration-guard-e2e}.
# Idempotent: a finished install leaves a stamp file and a second call returns at once.
set -euo pipefail

CACHE=${MIGRATION_GUARD_E2E_CACHE:-/var/cache/migration-guard-e2e}
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
STAMP="$CACHE/.installed-code-server-$CODE_SERVER_VERSION-playwright-$PLAYWRIGHT_VERSION"

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)

APT_PACKAGES=(libkrb5-dev ripgrep chromium)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "e2e install: apt ${missing[*]}"
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ -f $STAMP ]]; then
  echo "e2e install: code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_VERSION already in $CACHE"
  exit 0
fi

echo "e2e install: code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_VERSION into $CACHE"
"${sudo[@]}" mkdir -p "$CACHE"
[[ -w $CACHE ]] || "${sudo[@]}" chown "$(id -u):$(id -g)" "$CACHE"
cd "$CACHE"
rm -rf node_modules package.json package-lock.json
echo '{ "name": "migration-guard-e2e-cache", "private": true }' > package.json

export npm_config_nodedir=/usr
npm_flags=(--no-audit --no-fund --loglevel=error)
npm install "${npm_flags[@]}" --ignore-scripts "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
npm rebuild "${npm_flags[@]}" argon2

cd node_modules/code-server/lib/vscode
npm install "${npm_flags[@]}" --omit=dev --ignore-scripts
mkdir -p node_modules/@vscode/ripgrep/bin
cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
npm rebuild "${npm_flags[@]}" @vscode/spdlog kerberos native-watchdog @vscode/deviceid @parcel/watcher
# node-pty builds pty.node, then its post-install step fails (it wants to npx node-gyp for compile_commands.json):
# harmless, and the test uses no terminal.
npm rebuild "${npm_flags[@]}" node-pty >/dev/null 2>&1 || echo "e2e install: node-pty's post-install step failed (harmless)"
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install "${npm_flags[@]}" --omit=dev --ignore-scripts && node ./postinstall.mjs)

touch "$STAMP"
echo "e2e install: done"
