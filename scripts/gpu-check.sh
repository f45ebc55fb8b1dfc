#!/usr/bin/env bash
# GPU check for a machine with an NVIDIA GPU and its driver, in about five minutes per backend: the training
# benchmarks on the GPU and one short experiment (fit-function, quick preset).
#   TensorFlow (the default): the CUDA 12 / cuDNN 9 libraries on the library path; the CUDA build of TensorFlow
#     is built first (-Pgpu).
#   PyTorch: PYTORCH_LIBRARY_PATH set to the lib directory of a CUDA 12.8 build of libtorch 2.7.1.
# Usage: scripts/gpu-check.sh [OUT_DIR] [tensorflow|pytorch|both]
#   (default: gpu-check, and tensorflow, plus pytorch when PYTORCH_LIBRARY_PATH is set)
# Results go to OUT_DIR: gpu.txt, bench.jsonl, and per backend run-BACKEND.log with the experiment's outputs in
# run-BACKEND/. Exits non-zero when a backend did not run on the GPU.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-gpu-check}"
which="${2:-}"
if [[ -z "$which" ]]; then
  which=tensorflow
  [[ -n "${PYTORCH_LIBRARY_PATH:-}" ]] && which=both
fi
case "$which" in
  tensorflow) backends=(tensorflow) ;;
  pytorch) backends=(pytorch) ;;
  both) backends=(tensorflow pytorch) ;;
  *) echo "gpu-check: the second argument must be tensorflow, pytorch or both, not '$which'" >&2; exit 2 ;;
esac
if [[ " ${backends[*]} " == *" pytorch "* && -z "${PYTORCH_LIBRARY_PATH:-}" ]]; then
  echo "gpu-check: the PyTorch check needs PYTORCH_LIBRARY_PATH: the lib directory of a CUDA 12.8 build of" \
    "libtorch 2.7.1" >&2
  exit 2
fi
mkdir -p "$out"

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: nvidia-smi not found; this check needs an NVIDIA GPU and its driver" >&2
  exit 1
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"

# TensorFlow's GPU needs its CUDA build (-Pgpu); the PyTorch backend runs from either build
if [[ " ${backends[*]} " == *" tensorflow "* ]]; then
  export LOSSLAB_MAVEN_ARGS=-Pgpu
fi
: > "$out/bench.jsonl"
failed=0
for backend in "${backends[@]}"; do
  echo "gpu-check: $backend" >&2
  bench="$out/bench-$backend.jsonl"
  # the benchmarks say which device they ran on in every JSON line ("device":"gpu: ...")
  if ! timeout 240 ./losslab bench --backend "$backend" --device gpu --only mlp-epoch --repetitions 3 | tee "$bench" \
    || ! timeout 120 ./losslab bench --backend "$backend" --device gpu --only fit-function --repetitions 1 \
      | tee -a "$bench" \
    || ! timeout 180 ./losslab run fit-function --backend "$backend" --device gpu --preset quick --force \
      --out "$out/run-$backend" 2>&1 | tee "$out/run-$backend.log"; then
    echo "gpu-check: the $backend check failed; see the messages above" >&2
    failed=1
  fi
  cat "$bench" >> "$out/bench.jsonl"
  if ! grep -q '"device":"gpu' "$bench"; then
    echo "gpu-check: the $backend benchmarks did not run on the GPU" >&2
    failed=1
  fi
done
[[ "$failed" == 0 ]] || exit 1
echo "gpu-check: done; results in $out/"
