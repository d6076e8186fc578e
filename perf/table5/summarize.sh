#!/usr/bin/env bash
# Prints Table V from perf/table5/results: per problem and method, the runs, how many met every spec, and the
# simulations to the first feasible design (median, mean, min-max over the runs that met them; runs that did not are
# counted as "> budget").
set -euo pipefail
results="${1:-$(cd "$(dirname "$0")" && pwd)/results}"
num() { grep -o "\"$1\": *[0-9.eE+-]*" "$2" | head -1 | sed 's/.*: *//'; }
printf '| circuit | method | runs | met all specs | simulations to feasible: median | mean | min-max | modelling s/run |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for dir in "$results"/*/; do
  problem="$(basename "$dir")"
  for method in dnnopt sa; do
    files=("$dir"/"$method"-*/summary.json)
    [ -e "${files[0]}" ] || continue
    sims=(); runs=0; budget=0; model=0
    for f in "${files[@]}"; do
      runs=$((runs + 1))
      budget="$(num budget "$f")"
      model="$(awk -v a="$model" -v b="$(num modeling_seconds "$f")" 'BEGIN { print a + b }')"
      first="$(num first_feasible_simulation "$f")"
      [ -n "$first" ] && sims+=("$first")
    done
    met=${#sims[@]}
    if [ "$met" -gt 0 ]; then
      stats="$(printf '%s\n' "${sims[@]}" | sort -n | awk '{ v[NR] = $1; s += $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%g | %.0f | %d-%d", m, s / NR, v[1], v[NR] }')"
    else
      stats="> $budget | - | -"
    fi
    label="DNN-Opt"; [ "$method" = sa ] && label="SA"
    printf '| %s | %s | %d | %d | %s | %.1f |\n' "$problem" "$label" "$runs" "$met" "$stats" "$(awk -v m="$model" -v r="$runs" 'BEGIN { print m / r }')"
  done
done
