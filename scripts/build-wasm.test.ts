import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWasm, generatedModule, WASM_MODULES } from './build-wasm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('generated WebAssembly modules', () => {
  it.each(WASM_MODULES.map((spec) => [spec.generated, spec] as const))('%s is what its AssemblyScript source compiles to', async (_, spec) => {
    const binary = await compileWasm(spec);
    expect(readFileSync(path.join(root, spec.generated), 'utf8'), 'run npm run build:wasm').toBe(generatedModule(spec, binary));
  }, 60_000);
});
