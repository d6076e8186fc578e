#!/usr/bin/env bash
# Runs the managed training-step benchmark and the LibTorch peer (TorchSharp-cpu) in one BenchmarkDotNet run.
#
# TorchSharp-cpu 0.107.0 (the only version our package source serves) ships libLibTorchSharp.so built against
# libstdc++ from GCC 13+ (GLIBCXX_3.4.32) and, through it, glibc 2.38; Debian 12 has GCC 12 and glibc 2.36. So the
# peer runs under Debian 13's glibc and libstdc++, unpacked into a private folder (nothing on the system changes),
# with a copy of the benchmark's apphost patched to use that loader. Our managed code runs in the same process.
# Usage: bash perf/run-torch-peer.sh [BenchmarkDotNet args, default: --filter '*']
set -euo pipefail
cd "$(dirname "$0")/DnnOpt.Neural.TorchPeer"
root=${TRIXIE_ROOT:-/tmp/dnnopt-trixie}
lib=$root/root/usr/lib/x86_64-linux-gnu
if [ ! -e "$lib/libstdc++.so.6" ] || [ ! -e "$lib/ld-linux-x86-64.so.2" ]; then
  command -v patchelf >/dev/null || apt-get install -y -qq patchelf
  mkdir -p "$root/lists/partial" "$root/cache/archives/partial"
  echo "deb http://deb.debian.org/debian trixie main" > "$root/sources.list"
  apt_opts=(-o Dir::Etc::sourcelist="$root/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$root/lists"
            -o Dir::Cache="$root/cache" -o Dir::State::status=/dev/null)
  apt-get "${apt_opts[@]}" update -qq
  (cd "$root" && apt-get "${apt_opts[@]}" download libc6 libstdc++6 libgcc-s1)
  for deb in "$root"/*.deb; do dpkg-deb -x "$deb" "$root/root"; done
fi
command -v patchelf >/dev/null || apt-get install -y -qq patchelf
dotnet build -c Release
out=bin/Release/net10.0
cp "$out/DnnOpt.Neural.TorchPeer" "$out/peer-trixie"
patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$lib" "$out/peer-trixie"
export DOTNET_ROOT=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")} OMP_NUM_THREADS=${OMP_NUM_THREADS:-}
cd "$out"
if [ $# -eq 0 ]; then set -- --filter '*'; fi
# In-process toolchain: BenchmarkDotNet's generated projects would not carry the patched loader.
./peer-trixie --inProcess "$@"
