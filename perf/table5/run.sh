#!/usr/bin/env bash
# Table V of the paper, reproduced on the built-in industrial-class benchmarks: simulations until every spec is met,
# DNN-Opt with sensitivity pruning vs simulated annealing started from the designer's nominal, over seeds.
#
#   perf/table5/run.sh [PROBLEM...]        (default: inverter-chain ctle level-shifter ldo)
#   SEEDS="1 2 3" METHODS=dnnopt DNNOPT="dotnet /tmp/cli/dnnopt.dll" perf/table5/run.sh ctle
#
# Every run is `dnnopt size ... --until-feasible` into results/PROBLEM/METHOD-SEED (history, summary.json); a run
# whose summary.json exists is skipped, so the study can be run in pieces. summarize.sh prints the table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seeds="${SEEDS:-1 2 3 4 5 6 7 8 9 10}"
methods="${METHODS:-dnnopt sa}"
results="${RESULTS:-$here/results}"
if [ -z "${DNNOPT:-}" ]; then
  dotnet build "$repo/src/DnnOpt.Cli" -c Release -v q -nologo >/dev/null
  DNNOPT="dotnet $repo/src/DnnOpt.Cli/bin/Release/net10.0/dnnopt.dll"
fi
problems=("$@")
[ ${#problems[@]} -gt 0 ] || problems=(inverter-chain ctle level-shifter ldo)

# Per problem: the DNN-Opt arguments, the SA arguments, and the budgets (the paper: SA > 1000 on the inverter chain).
# The inverter chain's decks hold a feasible reference design, so it is sized from scratch over all 8 devices (as the
# paper: "we used all the devices"); the industrial circuits start from their failing nominal: DNN-Opt prunes by
# per-device sensitivity to the failing specs (thresholds chosen so that about ten devices stay, as the paper's: at 0.5
# the level shifter's tight duty-cycle bound makes every device relevant; the LDO at 0.5 kept 9 variables and met no
# design in 500 simulations, at 0.3 12 and met all at 175), SA anneals all variables from the nominal.
args_for() {
  case "$1/$2" in
    inverter-chain/dnnopt) echo "--algorithm dnnopt --budget 500" ;;
    inverter-chain/sa) echo "--algorithm sa --budget 1500" ;;
    ctle/dnnopt) echo "--algorithm dnnopt --prune 0.9 --group device --budget 500" ;;
    level-shifter/dnnopt) echo "--algorithm dnnopt --prune ${LS_THRESHOLD:-1.5} --group device --budget 500" ;;
    ldo/dnnopt) echo "--algorithm dnnopt --prune ${LDO_THRESHOLD:-0.3} --group device --budget 500" ;;
    */sa) echo "--algorithm sa --from-nominal --budget 1500" ;;
    *) echo "unknown problem $1" >&2; exit 2 ;;
  esac
}

for seed in $seeds; do
  for problem in "${problems[@]}"; do
    for method in $methods; do
      out="$results/$problem/$method-$seed"
      if [ -f "$out/summary.json" ]; then continue; fi
      rm -rf "$out"
      mkdir -p "$(dirname "$out")"
      echo "$(date -u +%H:%M:%S) $problem $method seed $seed"
      # shellcheck disable=SC2046
      $DNNOPT size "$problem" $(args_for "$problem" "$method") --seed "$seed" --until-feasible --out "$out" \
        > "$out.log" 2>&1 || [ $? -eq 1 ]
    done
  done
done
"$here/summarize.sh" "$results"
