#!/usr/bin/env bash
# Runs every test of jiti, on SQLite and on a real PostgreSQL server.
#
# It starts a throwaway PostgreSQL cluster (initdb in a temporary directory,
# listening on a Unix socket only) and stops it at the end, installs the
# tools the tests call (hledger, Chromium for the browser tests, pdftotext
# for the print test, LibreOffice Calc for the spreadsheet tests, axe-core
# for the accessibility test) when they are
# missing and the machine allows, and tells the tests that PostgreSQL,
# hledger, the browser and axe-core are required, so a test that needs them
# fails instead of skipping. Screenshots and PDFs of
# the browser tests are kept in testout/e2e. Extra arguments go to `go test`.
# Each package is printed as it finishes, and the run ends with the list of
# skipped tests: none may be skipped here, so a missing tool cannot hide as
# a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkg() { # need_pkg COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "test.sh: installing $2" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }
	fi
	command -v "$1" >/dev/null 2>&1 || { echo "test.sh: $1 is required (Debian package $2)" >&2; exit 1; }
}
need_pkg hledger hledger
need_pkg chromium chromium
need_pkg pdftotext poppler-utils # the print test reads the PDFs' text
# LibreOffice Calc, without its desktop, for the tests that have it write
# the sheets users bring and read the ones jiti writes.
if ! command -v soffice >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "test.sh: installing libreoffice-calc-nogui" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-calc-nogui >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-calc-nogui >/dev/null; }
fi
command -v soffice >/dev/null 2>&1 || { echo "test.sh: soffice is required (Debian package libreoffice-calc-nogui)" >&2; exit 1; }
need_pkg curl curl                # fetches axe-core
need_pkg openssl openssl          # checks its integrity
# A Chinese font, so that the browser test's screenshots and PDFs show
# Chinese rather than empty boxes (the tests pass either way).
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh | grep -q . && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-wqy-zenhei >/dev/null 2>&1 || true
fi

# axe-core, the accessibility checker the browser tests run in each page,
# from the npm registry at a pinned version whose integrity is checked; it
# is cached outside the repository and never committed.
axe_version=4.14.1
axe_integrity='sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=='
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/jiti/axe-core-$axe_version"
if [ ! -f "$axe_dir/axe.min.js" ]; then
	mkdir -p "$axe_dir"
	tgz="$axe_dir.tgz.part"
	curl -fsSL -o "$tgz" "https://registry.npmjs.org/axe-core/-/axe-core-$axe_version.tgz" ||
		{ echo "test.sh: cannot fetch axe-core $axe_version from the npm registry" >&2; exit 1; }
	got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
	[ "$got" = "$axe_integrity" ] || { rm -f "$tgz"; echo "test.sh: axe-core $axe_version: integrity $got, want $axe_integrity" >&2; exit 1; }
	tar -xzf "$tgz" -C "$axe_dir" --strip-components=1 package/axe.min.js package/LICENSE
	rm -f "$tgz"
fi
export JITI_AXE="$axe_dir/axe.min.js"

pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
if [ -z "$pgbin" ] && command -v initdb >/dev/null 2>&1; then pgbin=$(dirname "$(command -v initdb)"); fi
if [ -z "$pgbin" ]; then
	need_pkg psql postgresql
	for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
fi
[ -n "$pgbin" ] || { echo "test.sh: PostgreSQL (initdb) not found" >&2; exit 1; }

pgdir=$(mktemp -d /tmp/jiti-pg.XXXXXX)
# PostgreSQL refuses to run as root: run the server as the postgres user
# (or nobody) when we are root.
as=()
if [ "$(id -u)" = 0 ]; then
	pguser=postgres
	id "$pguser" >/dev/null 2>&1 || pguser=nobody
	chown "$pguser" "$pgdir"
	as=(runuser -u "$pguser" --)
fi
cleanup() {
	"${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$pgdir"
}
trap cleanup EXIT
"${as[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/log" \
	-o "-k $pgdir -c listen_addresses='' -c max_connections=200 -c fsync=on -c shared_buffers=256MB" start >/dev/null

export JITI_TEST_POSTGRES="postgres://postgres@/postgres?host=$pgdir&sslmode=disable"
export JITI_REQUIRE_POSTGRES=1
export JITI_REQUIRE_HLEDGER=1
export JITI_REQUIRE_BROWSER=1
export JITI_REQUIRE_LIBREOFFICE=1
export JITI_CHROMIUM="$(command -v chromium)"
export JITI_ARTIFACTS="$PWD/testout"
mkdir -p "$JITI_ARTIFACTS"
# Each package is printed as it passes; the run ends with every skipped
# test and its reason, and fails if there is any: here everything must run.
go build -o "$pgdir/testreport" ./scripts/testreport
set +e
go test -json -count=1 -timeout 30m "$@" ./... | "$pgdir/testreport" -no-skips
codes=("${PIPESTATUS[@]}")
set -e
[ "${codes[0]}" = 0 ] && [ "${codes[1]}" = 0 ]
