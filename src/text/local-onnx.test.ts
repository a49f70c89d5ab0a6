import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectOnnxFolder, LocalOnnxEncoder, TRANSFORMERS_PACKAGE } from './local-onnx.js';

/** A folder with the named files; their content is irrelevant to the checks tested here. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tide-onnx-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const CONFIG = JSON.stringify({ model_type: 'bert', hidden_size: 384 });

function isInstalled(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

describe('local ONNX encoder', () => {
  it('names the first missing file of the folder before importing anything', async () => {
    await expect(LocalOnnxEncoder.load({ dir: join(tmpdir(), 'no-such-tide-model') })).rejects.toThrow(
      /no-such-tide-model: the ONNX model folder does not exist/,
    );
    await expect(LocalOnnxEncoder.load({ dir: folder({ 'tokenizer.json': '{}' }) })).rejects.toThrow(
      /: config\.json is missing/,
    );
    await expect(LocalOnnxEncoder.load({ dir: folder({ 'config.json': CONFIG }) })).rejects.toThrow(
      /: tokenizer\.json is missing/,
    );
    const noModel = folder({ 'config.json': CONFIG, 'tokenizer.json': '{}' });
    await expect(LocalOnnxEncoder.load({ dir: noModel })).rejects.toThrow(
      /: onnx\/model\.onnx, onnx\/model_quantized\.onnx, .* is missing \(no ONNX model to run\)/,
    );
    await expect(LocalOnnxEncoder.load({ dir: noModel, dtype: 'q8' })).rejects.toThrow(
      /: onnx\/model_quantized\.onnx is missing/,
    );
  });

  it('reads dim from config.json and derives an id that changes with the model files', () => {
    const dir = folder({ 'config.json': CONFIG, 'tokenizer.json': '{}', 'onnx/model_quantized.onnx': 'x' });
    const first = inspectOnnxFolder(dir);
    expect([first.dim, first.dtype]).toEqual([384, 'q8']);
    writeFileSync(join(dir, 'onnx/model_quantized.onnx'), 'xy');
    expect(inspectOnnxFolder(dir).digest).not.toBe(first.digest);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    expect(() => inspectOnnxFolder(dir)).toThrow(/config\.json: lacks a positive integer hidden_size/);
  });

  // @huggingface/transformers is an optional dependency; this repository does not install it.
  it('imports @huggingface/transformers only once the files are there, and says how to install it', async () => {
    const dir = folder({ 'config.json': CONFIG, 'tokenizer.json': '{}', 'onnx/model.onnx': 'not a model' });
    const error = await LocalOnnxEncoder.load({ dir }).then(
      () => new Error('loaded a model from a 11-byte file'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(
      isInstalled(TRANSFORMERS_PACKAGE)
        ? /transformers\.js cannot load the model/
        : /needs the optional package @huggingface\/transformers, which is not installed: run "npm install @huggingface\/transformers"/,
    );
  });
});
