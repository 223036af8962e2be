#!/usr/bin/env bash
# Compares autograd-gradbench (generated Backward and --hand-written) with GradBench's hand-written C++ tool
# (`manual`) on the same inputs, each as GradBench protocol sessions; prints a markdown table.
#
#   benchmarks/AutoGrad.GradBench/compare/run.sh [CASE ...]      (cases: see gen_inputs.py; none = all)
#
# Environment:
#   GRADBENCH_SRC  a GradBench checkout (work tree) or bare git dir; default: the local mirror if present,
#                  else a fresh clone of https://github.com/gradbench/gradbench
#   COMPARE_DIR    where GradBench is built and inputs and results go (default /tmp/autograd-gradbench-compare;
#                  nothing there is part of this repository)
#   MIN_RUNS, MIN_SECONDS   per evaluation (default 10 and 1)
#   REPEAT         sessions per cell, all tools in turn; the table keeps each cell's fastest median (default 3)
#
# Needs: g++ and make, python3 (standard library only), dotnet, nlohmann/json (GradBench's cpp/Makefile
# downloads json.hpp; without internet, Debian's nlohmann-json3-dev provides /usr/include/nlohmann/json.hpp).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="${COMPARE_DIR:-${TMPDIR:-/tmp}/autograd-gradbench-compare}"
min_runs="${MIN_RUNS:-10}"
min_seconds="${MIN_SECONDS:-1}"
repeat="${REPEAT:-3}"
gb="$out/gradbench"
mkdir -p "$out"

# 1. GradBench's sources: only what the manual tool needs (cpp/, tools/manual/, cpp.py, ba data).
src="${GRADBENCH_SRC:-}"
if [ -z "$src" ]; then
  if [ -d /work/.mirror/gradbench+gradbench/repo ]; then src=/work/.mirror/gradbench+gradbench/repo
  else src="$out/gradbench-clone"; [ -d "$src" ] || git clone --quiet https://github.com/gradbench/gradbench "$src"; fi
fi
if [ -d "$src/.git" ]; then gitdir="$src/.git"; else gitdir="$src"; fi
rm -rf "$gb" && mkdir -p "$gb"
git --git-dir="$gitdir" archive HEAD cpp tools/manual python/gradbench/gradbench/cpp.py evals/ba/data | tar -x -C "$gb"
echo "GradBench $(git --git-dir="$gitdir" rev-parse HEAD)" >&2
if [ ! -f "$gb/cpp/json.hpp" ]; then
  if [ -f /usr/include/nlohmann/json.hpp ]; then cp /usr/include/nlohmann/json.hpp "$gb/cpp/json.hpp"
  else make -C "$gb/cpp" >&2; fi
fi

# 2. Build both tools (cpp.py rebuilds each module again on `define`; this build reports errors up front).
modules="lse llsq det ode gmm lstm ba"
for m in $modules; do
  make -s -C "$gb/tools/manual" "bin/$m" MULTITHREADED=no >&2 || echo "C++ manual: bin/$m did not build" >&2
done
dotnet build -c Release "$repo/benchmarks/AutoGrad.GradBench" -v q -nologo >&2
dll="$(ls "$repo"/benchmarks/AutoGrad.GradBench/bin/Release/net*/autograd-gradbench.dll | head -1)"

# 3. Inputs, then the sessions and the table.
python3 "$here/gen_inputs.py" "$out/inputs" "$gb/evals/ba/data" "$@" > "$out/cases.tsv"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(uptime | sed 's/.*load average: //')" >&2
python3 "$here/compare.py" --gradbench "$gb" --dll "$dll" --cases "$out/cases.tsv" \
  --min-runs "$min_runs" --min-seconds "$min_seconds" --repeat "$repeat" --results "$out/results.json" | tee "$out/table.md"
echo "load after: $(uptime | sed 's/.*load average: //')" >&2
