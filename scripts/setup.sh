#!/usr/bin/env bash
# Installs what callplane needs on a Debian machine and starts the services it
# talks to. Safe to run any number of times: each step checks first and skips
# what is already there. Non-interactive (CI runs it without stdin).
#
#   bash scripts/setup.sh          npm packages + a Redis on REDIS_URL
#   bash scripts/setup.sh --test   ... and a PostgreSQL for the test suite
set -euo pipefail

# Debian packages the engine runs on this machine, checked with dpkg and
# installed when missing: media conversion (ffmpeg, ghostscript, sox; tiffinfo
# and tiffcp from libtiff-tools to inspect fax TIFFs) and text to speech
# (espeak-ng). Later capabilities add theirs here (sipp, ...). Redis and
# PostgreSQL are handled below: they are installed only when no server
# answers, because one may already run elsewhere.
DEBIAN_PACKAGES="ffmpeg ghostscript espeak-ng libtiff-tools sox"
# The fax addon (native/spandsp, built by node-gyp during npm ci) links
# Debian's spandsp (T.30, the V.17/V.29/V.27ter modems, T.38) and libtiff; it
# needs them and a C++ tool chain before npm runs.
BUILD_DEBIAN_PACKAGES="libspandsp-dev libtiff-dev g++ make python3 pkg-config"
# The test suite drives the embedded SIP engine with real peers: sipp
# (sip-tester) and the baresip softphone; test/integration/ready.test.ts
# starts and stops a redis-server of its own; test/e2e/cluster.test.ts puts
# Kamailio (deploy/kamailio) in front of two telephony nodes.
TEST_DEBIAN_PACKAGES="sip-tester baresip redis-server kamailio"
REDIS_PACKAGE="redis-server"
POSTGRES_PACKAGE="postgresql"

WITH_TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST=1 ;;
    -h | --help)
      sed -n '2,7p' "$0"
      exit 0
      ;;
    *)
      echo "setup: unknown option $arg (use --test)" >&2
      exit 2
      ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export DEBIAN_FRONTEND=noninteractive

say() { echo "setup: $*"; }
die() {
  echo "setup: $*" >&2
  exit 1
}

# --- helpers ---------------------------------------------------------------

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
fi

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand"
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "need root (or sudo) to install $*: run 'apt-get install $*' as root"
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

deb_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# Prints "host port" of a URL (redis:// or postgres://), defaults filled in.
url_host_port() {
  node -e '
    const u = new URL(process.argv[1]);
    const port = u.port || (u.protocol.startsWith("redis") ? "6379" : "5432");
    console.log((u.hostname || "127.0.0.1").replace(/^\[|\]$/g, "") + " " + port);
  ' "$1"
}

# Exit 0 when something accepts TCP connections on host:port within 2 s.
tcp_open() {
  node -e '
    const s = require("node:net").connect({ host: process.argv[1], port: Number(process.argv[2]) });
    s.setTimeout(2000, () => process.exit(1));
    s.on("connect", () => process.exit(0));
    s.on("error", () => process.exit(1));
  ' "$1" "$2"
}

is_local() {
  case "$1" in 127.* | localhost | ::1) return 0 ;; *) return 1 ;; esac
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq "$((seconds * 4))"); do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  die "$what did not come up within ${seconds}s"
}

# --- Debian packages -------------------------------------------------------

missing=""
wanted="$BUILD_DEBIAN_PACKAGES $DEBIAN_PACKAGES"
[ "$WITH_TEST" -eq 1 ] && wanted="$wanted $TEST_DEBIAN_PACKAGES"
for pkg in $wanted; do
  deb_installed "$pkg" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086 # word splitting intended: a package list
  apt_install $missing
fi

# --- npm packages ----------------------------------------------------------

LOCK_HASH="$(sha256sum package-lock.json | cut -d' ' -f1)"
STAMP="node_modules/.callplane-lock-sha256"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$LOCK_HASH" ]; then
  say "npm packages up to date"
elif [ -d node_modules ] && [ ! -f "$STAMP" ] && npm ls --depth=0 >/dev/null 2>&1; then
  # Installed before this script kept a stamp, and it matches package.json.
  echo "$LOCK_HASH" >"$STAMP"
  say "npm packages up to date"
else
  say "npm ci (package-lock.json changed or node_modules missing)"
  npm_log="$(mktemp)"
  if ! npm ci --no-audit --no-fund --loglevel=error 2>"$npm_log"; then
    # A registry that lacks other platforms' builds of an optional dependency
    # (seen: msgpackr-extract's darwin/win32 packages) leaves them out of the
    # lock file, and npm ci then calls the lock "out of sync", listing them as
    # "Missing: NAME@ from lock file" (no version); a registry that serves
    # them where the lock lacks them names them with a version. npm install
    # skips missing optional packages; --no-save leaves package.json and the
    # lock untouched. Any other mismatch (a dependency added without its lock
    # entry) still fails.
    if grep -q 'in sync' "$npm_log" && grep -q 'Missing: .* from lock file' "$npm_log" &&
      ! grep 'Missing: \|Invalid: ' "$npm_log" | grep -v '@ from lock file' | grep -vq 'Missing: @msgpackr-extract/msgpackr-extract-'; then
      say "npm ci: the lock file lacks optional packages this registry does not serve; npm install --no-save instead"
      npm install --no-save --no-audit --no-fund --loglevel=error
    else
      cat "$npm_log" >&2
      rm -f "$npm_log"
      die "npm ci failed"
    fi
  fi
  rm -f "$npm_log"
  echo "$LOCK_HASH" >"$STAMP"
fi

# npm ci builds the fax addon; a checkout whose packages were already in
# place (or whose build was removed) builds it here.
if [ ! -f native/spandsp/build/Release/callplane_spandsp.node ]; then
  say "building the spandsp fax addon"
  npm run install
fi

# --- Redis -----------------------------------------------------------------

read -r REDIS_HOST REDIS_PORT <<<"$(url_host_port "$REDIS_URL")"
if tcp_open "$REDIS_HOST" "$REDIS_PORT"; then
  say "Redis answers on $REDIS_HOST:$REDIS_PORT"
else
  is_local "$REDIS_HOST" || die "no Redis answers on $REDIS_HOST:$REDIS_PORT (REDIS_URL); start it there"
  command -v redis-server >/dev/null 2>&1 || apt_install "$REDIS_PACKAGE"
  # The package's own start script may already have started it.
  if ! tcp_open "$REDIS_HOST" "$REDIS_PORT"; then
    bind="$REDIS_HOST"
    case "$REDIS_HOST" in localhost | 127.0.0.1 | ::1) bind="127.0.0.1 -::1" ;; esac
    say "starting redis-server on $REDIS_HOST:$REDIS_PORT"
    # shellcheck disable=SC2086 # $bind is one or two addresses
    $SUDO redis-server --daemonize yes --bind $bind --port "$REDIS_PORT" \
      --save "" --appendonly no --dir /tmp >/dev/null
  fi
  wait_for 10 "Redis" tcp_open "$REDIS_HOST" "$REDIS_PORT"
  say "Redis answers on $REDIS_HOST:$REDIS_PORT"
fi

# --- PostgreSQL (tests only) -----------------------------------------------

# Exit 0 when TEST_POSTGRES_URL accepts a login (the test harness creates
# throw-away databases through it).
pg_login() {
  node -e '
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.query("select 1")).then(() => c.end()).then(
      () => process.exit(0),
      (e) => { if (process.argv[2]) console.error(e.message); process.exit(1); });
  ' "$TEST_POSTGRES_URL" "${1:-}"
}

# Lets local connections in without a password (a test database, never production).
pg_trust_local() {
  local hba
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    if ! grep -q '^# callplane setup: trust' "$hba"; then
      say "trust auth for local connections in $hba"
      $SUDO sed -i '1i # callplane setup: trust local connections (test database)\nlocal all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
  done
}

if [ "$WITH_TEST" -eq 1 ]; then
  read -r PG_HOST PG_PORT <<<"$(url_host_port "$TEST_POSTGRES_URL")"
  if tcp_open "$PG_HOST" "$PG_PORT"; then
    pg_login || die "PostgreSQL on $PG_HOST:$PG_PORT refuses $TEST_POSTGRES_URL: $(pg_login verbose 2>&1 || true); set TEST_POSTGRES_URL"
    say "PostgreSQL answers on $PG_HOST:$PG_PORT"
  else
    is_local "$PG_HOST" || die "no PostgreSQL answers on $PG_HOST:$PG_PORT (TEST_POSTGRES_URL)"
    command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1 ||
      apt_install "$POSTGRES_PACKAGE"
    pg_trust_local
    PG_VERSION="$(ls /etc/postgresql | sort -V | tail -1)"
    # The package's own start script may already have started the cluster.
    if $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main status >/dev/null 2>&1; then
      $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main reload
    else
      say "starting PostgreSQL $PG_VERSION"
      $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
    fi
    wait_for 30 "PostgreSQL at $TEST_POSTGRES_URL" pg_login
    say "PostgreSQL answers on $PG_HOST:$PG_PORT"
  fi
fi

say "done"
