#!/usr/bin/env bash
# GPU check for a machine with an NVIDIA GPU, the driver, and the CUDA 12 / cuDNN 9 libraries on the library
# path: builds the CUDA build of TensorFlow, runs the training benchmarks on the GPU and one short experiment,
# all within about five minutes. Results go to gpu-check/ (bench.jsonl, run.log, the experiment's outputs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-gpu-check}"
mkdir -p "$out"

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: nvidia-smi not found; this check needs an NVIDIA GPU and its driver" >&2
  exit 1
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"

export LOSSLAB_MAVEN_ARGS=-Pgpu
# the benchmarks say which device they ran on in every JSON line ("device": "gpu: ...")
timeout 240 ./losslab bench --device gpu --only mlp-epoch --repetitions 3 | tee "$out/bench.jsonl"
timeout 120 ./losslab bench --device gpu --only fit-function --repetitions 1 | tee -a "$out/bench.jsonl"
timeout 180 ./losslab run fit-function --device gpu --preset quick --out "$out/run" 2>&1 | tee "$out/run.log"
grep -q '"device":"gpu' "$out/bench.jsonl" || { echo "gpu-check: the benchmarks did not run on the GPU" >&2; exit 1; }
echo "gpu-check: done; results in $out/"
