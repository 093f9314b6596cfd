#!/usr/bin/env bash
# Baton's performance benchmark (docs/scale.md): one command.
#
#   bench/run.sh              # sizes small 1 2 4
#   bench/run.sh small 1 2    # some of them
#
# For each size it writes the seeded dataset (bench/data/SIZE, kept for the next run), then times
# `baton build` (wall time and max RSS from /usr/bin/time -v; stage timings from
# BATON_TIMINGS=1), `baton check` (the same reading and computing, no page written), `wc -l`
# over the same CSV files and bench/duckdb_metrics.py, taking turns BENCH_RUNS times (default
# 3; each tool's fastest run counts), then bench/pandas_metrics.py once, all computing the
# same figures, and prints a table. On the small dataset the scripts must agree with Baton's
# metrics.json. At 1x it also times the activity parse on one thread (BATON_THREADS=1)
# against two, and on one thread with the rows as written, sorted by date and shuffled. Not run by `cargo test` or CI: it takes minutes and gigabytes (4x is 2.3 GB of
# CSV; the run checks free space first and skips what does not fit).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(small 1 2 4)
OUT=bench/results
mkdir -p bench/data "$OUT"
TSV=$OUT/results.tsv
printf 'size\trows\ttool\twall_s\trss_mb\n' > "$TSV"
STAGES=$OUT/stages.tsv
printf 'size\tload_s\tcompute_s\trender_s\n' > "$STAGES"
SOLO=$OUT/solo.tsv
printf 'size\trows\twall_s\trss_mb\n' > "$SOLO"

echo "== building baton and the generator (release)"
cargo build --release --quiet --bin baton --example generate

PY=bench/.venv/bin/python
if ! [ -x "$PY" ] || ! "$PY" -c 'import duckdb, pandas' 2>/dev/null; then
  echo "== installing duckdb and pandas into bench/.venv"
  python3 -m venv bench/.venv
  "$PY" -m pip install --quiet duckdb pandas
fi

# Runs a command under /usr/bin/time -v; prints "wall_seconds rss_mb", keeps its output in $1.log.
measure() {
  local log=$1; shift
  /usr/bin/time -v "$@" > "$log.out" 2> "$log.log" || { echo "failed: $* (see $log.log)" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                 for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
              /Maximum resident set size/ { rss = $2 / 1024 }
              END { printf "%.3f %.1f\n", wall, rss }' "$log.log"
}

# Keeps the fastest wall time of tool $1 and the largest RSS; the fastest run's logs as $2.
keep() {
  local tool=$1 log=$2 w=$3 r=$4
  if [ -z "${best_w[$tool]:-}" ] || awk -v a="$w" -v b="${best_w[$tool]}" 'BEGIN { exit !(a < b) }'; then
    best_w[$tool]=$w
    cp "$log.log" "$log.best.log"; cp "$log.out" "$log.best.out"
  fi
  if [ -z "${best_r[$tool]:-}" ] || awk -v a="$r" -v b="${best_r[$tool]}" 'BEGIN { exit !(a > b) }'; then
    best_r[$tool]=$r
  fi
}

for size in "${SIZES[@]}"; do
  dir=bench/data/$size
  if [ "$size" = small ]; then scale_args=(); need_mb=100; else scale_args=(--scale "$size"); need_mb=$((size * 700)); fi
  if ! [ -f "$dir/AS_OF" ]; then
    free_mb=$(df -Pm bench/data | awk 'NR == 2 { print $4 }')
    if [ "$free_mb" -lt $((need_mb + 1024)) ]; then
      echo "== $size: skipped, $free_mb MB free for about $need_mb MB of CSV"; continue
    fi
    echo "== $size: generating into $dir"
    rm -rf "$dir"
    target/release/examples/generate "${scale_args[@]}" "$dir" | tee "$OUT/generate-$size.txt"
    sed -n 's/.* as of \([0-9-]*\) .*/\1/p' "$OUT/generate-$size.txt" > "$dir/AS_OF"
  fi
  as_of=$(cat "$dir/AS_OF")
  period=${as_of:0:7}
  csvs=("$dir"/data/*.csv)
  rows=$(($(wc -l < "$dir/data/activities.csv") - 1))
  echo "== $size: $rows activity rows, period $period, as of $as_of"
  sync

  # Baton (build, then check), DuckDB and wc -l take turns, RUNS times (BENCH_RUNS, default
  # 3; pandas, at 5 to 15 times the others, runs once): the machine is shared, so each tool's
  # figure is its fastest run (and the largest max RSS of its runs), and the turns spread any
  # noise over all of them.
  check=()
  [ "$size" = small ] && check=(--check "$dir/output/metrics.json")
  declare -A best_w=() best_r=()
  for run in $(seq 1 "${BENCH_RUNS:-3}"); do
    read -r w r < <(measure "$OUT/wc-$size" wc -l "${csvs[@]}")
    keep wc "$OUT/wc-$size" "$w" "$r"
    # Each build starts from no site, as in a fresh clone.
    rm -rf "$dir/output"
    read -r w r < <(measure "$OUT/baton-$size" env BATON_TIMINGS=1 target/release/baton build --root "$dir")
    keep baton "$OUT/baton-$size" "$w" "$r"
    echo "   run $run: baton build $w s, $r MB"
    # The same reading and computing without a page written: what DuckDB's script does.
    read -r w r < <(measure "$OUT/check-$size" target/release/baton check --root "$dir")
    keep check "$OUT/check-$size" "$w" "$r"
    echo "   run $run: baton check $w s, $r MB"
    read -r w r < <(measure "$OUT/duckdb-$size" "$PY" bench/duckdb_metrics.py "$dir/data" "$period" "$as_of" "${check[@]}")
    keep duckdb "$OUT/duckdb-$size" "$w" "$r"
    echo "   run $run: DuckDB $w s, $r MB"
  done
  for tool in wc baton check duckdb; do
    mv "$OUT/$tool-$size.best.log" "$OUT/$tool-$size.log"; mv "$OUT/$tool-$size.best.out" "$OUT/$tool-$size.out"
  done
  printf '%s\t%s\twc -l\t%s\t%s\n' "$size" "$rows" "${best_w[wc]}" "${best_r[wc]}" >> "$TSV"
  printf '%s\t%s\tbaton build\t%s\t%s\n' "$size" "$rows" "${best_w[baton]}" "${best_r[baton]}" >> "$TSV"
  printf '%s\t%s\tbaton check\t%s\t%s\n' "$size" "$rows" "${best_w[check]}" "${best_r[check]}" >> "$TSV"
  grep -E 'timing: (load activities|load |metrics |comp |render )' "$OUT/baton-$size.log" | sed 's/^/   /'
  # The fastest build's own stages, for the table: reading, computing, rendering.
  # Comp runs beside the gates, the facts and the metrics, which run one after the other.
  awk -v size="$size" '/^timing: load  / { l = $3 } /^timing: gates  / { g = $3 }
       /^timing: facts  / { f = $3 } /^timing: metrics  / { m = $3 } /^timing: comp  / { c = $3 }
       /^timing: render  / { r = $3 }
       END { s = g + f + m; printf "%s\t%s\t%s\t%s\n", size, l, (s > c ? s : c), r }' \
    "$OUT/baton-$size.log" >> "$STAGES"
  printf '%s\t%s\tDuckDB\t%s\t%s\n' "$size" "$rows" "${best_w[duckdb]}" "${best_r[duckdb]}" >> "$TSV"

  read -r w r < <(measure "$OUT/pandas-$size" "$PY" bench/pandas_metrics.py "$dir/data" "$period" "$as_of" "${check[@]}")
  printf '%s\t%s\tpandas\t%s\t%s\n' "$size" "$rows" "$w" "$r" >> "$TSV"

  if [ "$size" = small ]; then
    grep -h '^agree' "$OUT/duckdb-$size.out" "$OUT/pandas-$size.out" | sed 's/^/   DuckDB\/pandas: /'
    [ "$(grep -c '^agree' "$OUT/duckdb-$size.out" "$OUT/pandas-$size.out" | awk -F: '{ s += $2 } END { print s }')" = 2 ]
  fi

  if [ "$size" != small ]; then
    # Activities alone: a project of the same reps and activities (hard links) with hand-offs
    # left empty, checked with `baton check`. Its max RSS is what growing activities cost (the
    # rest of the company is held apart); at 1x it is also read on one thread against two.
    solo=bench/data/$size-activities
    rm -rf "$solo" && mkdir -p "$solo/data"
    cp -r "$dir/playbook" "$solo/"
    ln "$dir/data/reps.csv" "$dir/data/activities.csv" "$solo/data/"
    head -1 "$dir/data/handoffs.csv" > "$solo/data/handoffs.csv"
    read -r w r < <(measure "$OUT/solo-$size" target/release/baton check --root "$solo")
    printf '%s\t%s\t%s\t%s\n' "$size" "$rows" "$w" "$r" >> "$SOLO"
    echo "   activities alone ($rows rows): baton check $w s, max RSS $r MB"
    if [ "$size" = 1 ]; then
      for t in 1 2; do
        env BATON_TIMINGS=1 BATON_THREADS=$t target/release/baton check --root "$solo" \
          2> "$OUT/parse-$t.log" > /dev/null || true
      done
      one=$(awk '/timing: load activities/ { print $4 }' "$OUT/parse-1.log")
      two=$(awk '/timing: load activities/ { print $4 }' "$OUT/parse-2.log")
      echo "   activity parse ($rows rows): $one s on one thread, $two s on two: speed-up $(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", a / b }')x" \
        | tee "$OUT/speedup.txt"
    fi
    rm -rf "$solo"
  fi

  if [ "$size" = 1 ]; then
    # Row order (issue 24): the same activities as written (sorted by rep, then time), sorted
    # by date, and shuffled (a fixed seed), each in a project of reps and activities alone
    # (kept under bench/data/1-orders for the next run). Read on one thread with `baton
    # check`, taking turns BENCH_RUNS times, fastest run each; the activity parse ("load
    # activities" of BATON_TIMINGS) is printed with its ratio to the file as written.
    orders=bench/data/1-orders
    for order in rep date shuffled; do
      o=$orders/$order
      if ! [ -f "$o/data/activities.csv" ] || [ "$o/data/activities.csv" -ot "$dir/data/activities.csv" ]; then
        echo "   writing the activities $order-sorted into $o"
        rm -rf "$o" && mkdir -p "$o/data"
        cp -r "$dir/playbook" "$o/"
        cp "$dir/data/reps.csv" "$o/data/"
        head -1 "$dir/data/handoffs.csv" > "$o/data/handoffs.csv"
        src=$dir/data/activities.csv
        case $order in
          rep) cp "$src" "$o/data/activities.csv" ;;
          date) { head -1 "$src"; tail -n +2 "$src" | LC_ALL=C sort -t, -k2,2 -s -S 1G; } > "$o/data/activities.csv" ;;
          shuffled) { head -1 "$src"; tail -n +2 "$src" | shuf --random-source=<(yes 24); } > "$o/data/activities.csv" ;;
        esac
      fi
    done
    declare -A best_order=()
    for run in $(seq 1 "${BENCH_RUNS:-3}"); do
      for order in rep date shuffled; do
        env BATON_TIMINGS=1 BATON_THREADS=1 target/release/baton check --root "$orders/$order" \
          2> "$OUT/order-$order.log" > /dev/null || true
        t=$(awk '/timing: load activities/ { print $4 }' "$OUT/order-$order.log")
        if [ -z "${best_order[$order]:-}" ] || awk -v a="$t" -v b="${best_order[$order]}" 'BEGIN { exit !(a < b) }'; then
          best_order[$order]=$t
        fi
      done
    done
    for order in rep date shuffled; do
      echo "   activity parse, one thread, rows $order-sorted: ${best_order[$order]} s, $(awk -v a="${best_order[$order]}" -v b="${best_order[rep]}" 'BEGIN { printf "%.2f", a / b }') of as written"
    done | sed 's/rows shuffled-sorted/rows shuffled/' | tee "$OUT/order.txt"
  fi
done

echo
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows every tool alike)"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ { print $2 }') GB RAM"
python3 - "$TSV" "$STAGES" "$SOLO" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {(r["size"], r["tool"]): r for r in rows}
print(f"{'size':>5} {'activity rows':>13} {'tool':<12} {'wall s':>7} {'max RSS MB':>10} {'s/M rows':>8}"
      f" {'/DuckDB':>7} {'/pandas':>7} {'/wc -l':>7}")
for r in rows:
    size, n, w = r["size"], int(r["rows"]), float(r["wall_s"])
    ratio = lambda tool: (f"{w / float(by[(size, tool)]['wall_s']):.2f}"
                          if (size, tool) in by and float(by[(size, tool)]["wall_s"]) > 0 else "-")
    print(f"{size:>5} {n:>13,} {r['tool']:<12} {w:>7.2f} {float(r['rss_mb']):>10.0f} "
          f"{w / (n / 1e6):>8.3f} {ratio('DuckDB'):>7} {ratio('pandas'):>7} {ratio('wc -l'):>7}")
stages = list(csv.DictReader(open(sys.argv[2]), delimiter="\t"))
if stages:
    print()
    print("baton build by stage (BATON_TIMINGS=1; compute is the longer of comp and, beside it, the")
    print("sanity gates, facts and metrics one after the other):")
    print(f"{'size':>5} {'load s':>7} {'compute s':>9} {'render s':>8} {'render share':>12}")
    for r in stages:
        total = float(by[(r["size"], "baton build")]["wall_s"])
        render = float(r["render_s"])
        print(f"{r['size']:>5} {float(r['load_s']):>7.2f} {float(r['compute_s']):>9.2f} {render:>8.2f}"
              f" {render / total if total else 0:>11.0%}")
solo = list(csv.DictReader(open(sys.argv[3]), delimiter="\t"))
if solo:
    print()
    print("activities alone (reps and activities.csv, no hand-offs; baton check): memory with activities")
    print(f"{'size':>5} {'activity rows':>13} {'wall s':>7} {'max RSS MB':>10}")
    for r in solo:
        print(f"{r['size']:>5} {int(r['rows']):>13,} {float(r['wall_s']):>7.2f} {float(r['rss_mb']):>10.0f}")
PY
