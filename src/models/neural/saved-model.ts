import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../../core/durable-file.js';
import { TideError } from '../../core/errors.js';
import type { SequenceCorpus } from '../../data/corpus.js';
import type { NamedWeights } from './network.js';

export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';
const FORMAT = 'tide-model';
const VERSION = 1;

/**
 * The JSON half of a saved model; the weights sit in the file it names (`weightsFile`, weights.bin
 * when absent) as little-endian float32.
 */
export interface ModelManifest {
  format: typeof FORMAT;
  version: number;
  family: string;
  /** The family's config (network shape). */
  config: Record<string, unknown>;
  /** How it was trained, and what happened. */
  training: Record<string, unknown>;
  numItems: number;
  /** Dense item index -> external item id. */
  itemIds: string[];
  /** Identifies the data the model was trained on. */
  dataFingerprint: DataFingerprint;
  /** Names of the category head's outputs, when the model has one. */
  categories?: string[];
  /** Id of the text encoder whose vectors a text-aware model was trained on (new items must use it too). */
  textEncoder?: string;
  /** Validation figures at the chosen epoch. */
  metrics: Record<string, number>;
  weights: { name: string; shape: number[]; offset: number; length: number }[];
  /** The weights' file in the directory: `weights-<hash>.bin`, so that a manifest names only its own. */
  weightsFile?: string;
  createdAt: string;
}

export interface DataFingerprint {
  dataset: string;
  users: number;
  items: number;
  events: number;
  /** sha256 of the sequences (offsets and item indices), first 16 hex digits. */
  sequencesHash: string;
}

export function fingerprint(dataset: string, corpus: SequenceCorpus): DataFingerprint {
  const hash = createHash('sha256');
  hash.update(new Uint8Array(corpus.offsets.buffer, corpus.offsets.byteOffset, corpus.offsets.byteLength));
  hash.update(new Uint8Array(corpus.items.buffer, corpus.items.byteOffset, corpus.items.byteLength));
  return {
    dataset,
    users: corpus.nUsers,
    items: corpus.nItems,
    events: corpus.items.length,
    sequencesHash: hash.digest('hex').slice(0, 16),
  };
}

/**
 * Writes a model directory (manifest.json + weights-<hash>.bin). The manifest is renamed into place
 * last, naming its own weights file, so a crash never pairs a manifest with other weights.
 *
 * @example
 * await saveModel('models/sasrec', { ...manifestWithoutWeights }, weights);
 */
export async function saveModel(
  dir: string,
  manifest: Omit<ModelManifest, 'format' | 'version' | 'weights' | 'createdAt'>,
  weights: NamedWeights,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries: ModelManifest['weights'] = [];
  let total = 0;
  for (const [name, { shape, data }] of weights) {
    entries.push({ name, shape, offset: total, length: data.length });
    total += data.length;
  }
  const blob = new Float32Array(total);
  for (const [index, [, { data }]] of [...weights].entries()) blob.set(data, entries[index].offset);
  const full: ModelManifest = {
    format: FORMAT,
    version: VERSION,
    ...manifest,
    weights: entries,
    createdAt: new Date().toISOString(),
  };
  // The manifest is the commit point: the weights go first under a name of their own, then the
  // manifest naming them replaces the old one in one rename. A crash at any moment leaves the old
  // manifest with the old weights, or the new with the new, never one with the other's.
  const bytes = new Uint8Array(blob.buffer);
  const weightsFile = `weights-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.bin`;
  await replaceFile(join(dir, weightsFile), bytes);
  await replaceFile(join(dir, MANIFEST_FILE), `${JSON.stringify({ ...full, weightsFile }, null, 2)}\n`);
  // what the new manifest no longer names
  for (const name of await readdir(dir)) {
    if (name !== weightsFile && /^weights(-[0-9a-f]+)?\.bin(\.tmp)?$/.test(name)) await rm(join(dir, name));
  }
}

/** Reads a model directory, checking format, version and that every weight fits the file. */
export async function loadModel(dir: string): Promise<{ manifest: ModelManifest; weights: NamedWeights }> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ModelManifest;
  } catch (cause) {
    throw new TideError(
      'NOT_FOUND',
      `${manifestPath}: not a readable model manifest`,
      { file: manifestPath },
      { cause },
    );
  }
  if (manifest.format !== FORMAT || manifest.version !== VERSION) {
    throw new TideError('INVALID_INPUT', `${manifestPath}: format must be ${FORMAT} v${VERSION}`, {
      file: manifestPath,
      field: 'format',
    });
  }
  const weightsFile = manifest.weightsFile ?? WEIGHTS_FILE;
  if (!/^weights(-[0-9a-f]+)?\.bin$/.test(weightsFile))
    throw new TideError(
      'INVALID_INPUT',
      `${manifestPath}: weightsFile "${weightsFile}" is not a weights file`,
      {
        file: manifestPath,
        field: 'weightsFile',
      },
    );
  const bytes = await readFile(join(dir, weightsFile));
  const blob = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const weights: NamedWeights = new Map();
  for (const w of manifest.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (size !== w.length || w.offset + w.length > blob.length) {
      throw new TideError(
        'INVALID_INPUT',
        `${manifestPath}: weight "${w.name}" does not fit ${weightsFile}`,
        {
          file: manifestPath,
          field: `weights.${w.name}`,
        },
      );
    }
    weights.set(w.name, { shape: w.shape, data: blob.slice(w.offset, w.offset + w.length) });
  }
  return { manifest, weights };
}
