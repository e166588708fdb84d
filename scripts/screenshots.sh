#!/usr/bin/env bash
# Regenerates screenshots/*.png from real tmux captures of the running TUI.
# Usage: scripts/screenshots.sh   (installs tmux, python3-pil and fonts-dejavu-core if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if ! command -v tmux >/dev/null || ! /usr/bin/python3 -c 'import PIL' 2>/dev/null || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]; then
  apt-get update -qq && apt-get install -y -qq tmux python3-pil fonts-dejavu-core >/dev/null
fi
swift build --product phaserunner >/dev/null
bin=$(swift build --show-bin-path)/phaserunner
work=$(mktemp -d)
n=0
sock="shots$$-$n"
T="tmux -L $sock -f /dev/null"
cols=120
rows=36
trap '$T kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

wait_for() {
  for _ in $(seq 1 "${2:-200}"); do
    $T capture-pane -t t -p | grep -q -- "$1" && return 0
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2
  $T capture-pane -t t -p >&2
  return 1
}

shot() {
  sleep 0.4
  $T capture-pane -t t -p -e -N > "$work/$1.ans"
  /usr/bin/python3 scripts/ansi2png.py "$work/$1.ans" "screenshots/$1.png" "$cols" "$rows"
  echo "screenshots/$1.png"
}

start() {
  # A fresh server per program run (reusing a socket right after kill-server races).
  $T kill-server 2>/dev/null || true
  n=$((n + 1))
  sock="shots$$-$n"
  T="tmux -L $sock -f /dev/null"
  $T new-session -d -s t -x "$cols" -y "$rows" -e LANG=C.UTF-8 -e TERM=tmux-256color \
    -e SWIFT_BACKTRACE=interactive=no -e CI= "cd '$work' && $bin $*; sleep 60"
}

mkdir -p screenshots "$work/example"
cp "$root/Tests/CoreTests/Fixtures/shop.prisma" "$work/example/schema.prisma"

# 1. The checklist after a successful run.
start tui "$work/example/schema.prisma" --out "$work/out"
wait_for "succeeded in"
$T send-keys -t t k k k k k k k
shot 01-checklist

# 2. The output tree with a preview.
$T send-keys -t t 2 j j j j j
wait_for "Output "
shot 02-output-tree

# 3. The schema explorer, following a relation.
$T send-keys -t t 3 Enter j j j j j j
shot 03-schema-explorer

# 3b. What the generator makes of the model: its endpoints, files and the fields pointing at it.
$T send-keys -t t End
wait_for "Referenced by"
shot 09-schema-endpoints

# 3c. The model's relation map (a self-relation among them), the second relation chosen.
$T send-keys -t t m j
wait_for "relations of"
shot 11-relation-map

# 4. The toggles, with standalone mode off.
$T send-keys -t t 4 s j j j j
wait_for "standalone mode off"
shot 04-toggles

# 5. A failing phase with its error pane.
printf 'model User {\n  id    Int    @id\n  posts Post[]\n  role  Rol\n}\n' > "$work/broken.prisma"
start tui "$work/broken.prisma" --out "$work/out-broken"
wait_for "FAILED after"
shot 05-error-pane

# 6. The help overlay.
$T send-keys -t t '?'
wait_for "Keys (any key closes"
shot 06-help

# 7. The timeline of the last run, on a large schema (odoo's 168 models) when the corpus is there.
big="$root/../shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma"
[ -f "$big" ] || big="$work/example/schema.prisma"
start tui "$big" --out "$work/out-big"
wait_for "✓ succeeded in" 1200
$T send-keys -t t t
wait_for "Timeline of the last run"
shot 07-timeline

# 8. A run restored from the phase cache: the same schema and output folder as shot 1 again.
start tui "$work/example/schema.prisma" --out "$work/out"
wait_for "succeeded in"
$T send-keys -t t k k k k k k k
shot 08-cached

# 10. After a schema edit: a changed file opens as its diff against the previous generation.
sed -i 's/^  name         String$/  name         String\n  nickname     String?/' "$work/example/schema.prisma"
wait_for "run #2" 1200
wait_for "succeeded in" 1200
$T send-keys -t t 2 /
$T send-keys -t t -l "person.read.dto"
$T send-keys -t t Enter End
wait_for "vs previous" 600
shot 10-diff
