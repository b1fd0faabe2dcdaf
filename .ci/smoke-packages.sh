#!/usr/bin/env bash
# What a project that installs the @spoti/* packages from npm meets, checked on the real tarballs:
# build, `pnpm pack` every publishable package, install the tarballs with npm into fresh projects
# in a temporary folder outside the workspace, and there `require()` and `import` every entry
# point with real calls (client against the mock started from its tarball, face render, analytics
# on a small generated export, the CLI's --help, stats and face), type-check a consumer with
# skipLibCheck: false under node16 and bundler resolution, and measure installed sizes and import
# times. Then `changeset version` in a throwaway copy must give 0.1.0 releases, and
# `pnpm publish -r --dry-run` must succeed without changing a tracked file.
#
# Usage: .ci/smoke-packages.sh [--record]
#   --record          also write the figures to docs/BENCHMARKS-packages.md
#   SMOKE_SKIP_BUILD=1  reuse the current dist/ folders
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
smoke="$root/.ci/smoke"
record=false
[[ "${1:-}" == "--record" ]] && record=true
work="$(mktemp -d "${TMPDIR:-/tmp}/spoti-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
case "$work" in "$root"/*) echo "temp folder inside the workspace: $work" >&2 && exit 1 ;; esac
tsc="$root/node_modules/typescript/bin/tsc"
npm_install() { npm install --no-audit --no-fund --prefer-offline --loglevel=error "$@"; }
say() { printf '\n--- %s\n' "$1"; }
fail() {
  echo "smoke-packages: $1" >&2
  exit 1
}

say "bin targets are committed files (pnpm links them before any build)"
(cd "$root" && node "$smoke/check-bins.mjs")

if [[ "${SMOKE_SKIP_BUILD:-}" != 1 ]]; then
  say "build"
  (cd "$root" && pnpm build >"$work/build.log" 2>&1) || {
    tail -40 "$work/build.log"
    fail "build failed"
  }
fi

say "pack"
mkdir -p "$work/tarballs"
packages=()
for dir in "$root"/packages/*/; do
  [[ "$(node -p "require('$dir/package.json').private === true")" == true ]] && continue
  packages+=("$(node -p "require('$dir/package.json').name")")
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
ls "$work/tarballs"
tarball() {
  local files=("$work/tarballs/$(echo "$1" | sed 's#^@##; s#/#-#')"-[0-9]*.tgz)
  echo "${files[0]}"
}
node "$smoke/check-tarballs.mjs" "$work/tarballs"

new_project() {
  mkdir -p "$work/$1"
  printf '{ "name": "smoke-%s", "private": true, "type": "module" }\n' "$1" >"$work/$1/package.json"
}

say "every package in one project: ESM and CommonJS consumers"
new_project all
all_tarballs=()
for name in "${packages[@]}"; do all_tarballs+=("$(tarball "$name")"); done
(cd "$work/all" && npm_install "${all_tarballs[@]}" @napi-rs/canvas@^1.1.1 @types/node@^20.19.0)
cp "$smoke/exercise.cjs" "$smoke/consumer.mjs" "$smoke/consumer.cjs" "$work/all/"
(cd "$work/all" && ./node_modules/.bin/spoti-mock export --out "$work/export.zip" --seed 7 --plays 3000 >/dev/null)
(cd "$work/all" && SMOKE_EXPORT="$work/export.zip" node consumer.mjs)
(cd "$work/all" && SMOKE_EXPORT="$work/export.zip" node consumer.cjs)

say "the spoti command from its tarball"
(
  cd "$work/all"
  ./node_modules/.bin/spoti --help | grep -q 'spoti <command>' || fail "spoti --help"
  ./node_modules/.bin/spoti stats "$work/export.zip" --tz UTC >"$work/stats.txt" || fail "spoti stats"
  grep -qi 'plays' "$work/stats.txt" || fail "spoti stats printed no plays"
  ./node_modules/.bin/spoti face "$work/export.zip" --out "$work/face.png" --tz UTC --date 2026-01-01 \
    >"$work/face.txt" || fail "spoti face"
  [[ "$(head -c 4 "$work/face.png" | od -An -tx1 | tr -d ' \n')" == 89504e47 ]] || fail "spoti face wrote no PNG"
  echo "spoti --help, stats, face ok"
)

say "installed sizes and import times"
measure=()
for entry in "@spoti/face" "@spoti/client" "@spoti/analytics" "@spoti/cli" "@spoti/profile"; do
  slug="$(echo "$entry" | sed 's#^@##; s#/#-#')"
  new_project "$slug"
  deps=()
  # The workspace packages an install pulls in come from their tarballs too.
  for name in $(node "$smoke/closure.mjs" "$root" "$entry"); do deps+=("$(tarball "$name")"); done
  (cd "$work/$slug" && npm_install "${deps[@]}")
  measure+=("$entry=$work/$slug")
done
node "$smoke/measure.mjs" "$work/all" "${measure[@]}" >"$work/figures.md"
cat "$work/figures.md"
if $record; then
  node "$smoke/write-benchmarks.mjs" "$work/figures.md" "$root/docs/BENCHMARKS-packages.md"
fi

say "changeset version in a throwaway copy gives 0.1.0 releases"
mkdir -p "$work/copy"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$work/copy")
(cd "$work/copy" && ln -s "$root/node_modules" node_modules && node "$root/node_modules/@changesets/cli/bin.js" version >/dev/null)
node "$smoke/check-versions.mjs" "$root" "$work/copy" 0.1.0

say "pnpm publish -r --dry-run changes no tracked file"
before="$(cd "$root" && git status --porcelain)"
(cd "$root" && pnpm publish -r --dry-run --no-git-checks >"$work/publish.log" 2>&1) || {
  tail -40 "$work/publish.log"
  fail "pnpm publish -r --dry-run failed"
}
after="$(cd "$root" && git status --porcelain)"
[[ "$before" == "$after" ]] || fail "pnpm publish --dry-run changed files: $after"
grep -c '^+ @spoti/' "$work/publish.log" | xargs -I{} echo "{} packages would be published"

say "types with skipLibCheck: false (no @napi-rs/canvas, no database driver types needed)"
new_project types
(cd "$work/types" && npm_install "${all_tarballs[@]}" @types/node@^20.19.0)
cp "$smoke/consumer-types.ts" "$smoke/consumer-types.cts" "$work/types/"
rm -rf "$work/types/node_modules/@napi-rs"
common='"strict": true, "skipLibCheck": false, "noEmit": true, "types": ["node"], "target": "ES2022", "lib": ["ES2023"]'
printf '{ "compilerOptions": { %s, "module": "node16", "moduleResolution": "node16" }, "files": ["consumer-types.ts", "consumer-types.cts"] }\n' \
  "$common" >"$work/types/tsconfig.node16.json"
printf '{ "compilerOptions": { %s, "module": "esnext", "moduleResolution": "bundler" }, "files": ["consumer-types.ts"] }\n' \
  "$common" >"$work/types/tsconfig.bundler.json"
(cd "$work/types" && node "$tsc" -p tsconfig.node16.json && echo "node16 ok")
(cd "$work/types" && node "$tsc" -p tsconfig.bundler.json && echo "bundler ok")

say "smoke-packages ok"
