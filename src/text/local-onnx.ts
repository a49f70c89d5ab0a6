import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { TideError } from '../core/errors.js';
import { validate } from '../core/validate.js';
import { LocalOnnxOptions, type ONNX_DTYPES } from './config.js';
import type { TextEncoder } from './text-encoder.js';

/** The optional package that runs ONNX models; held in a variable so tsc never needs its types. */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

type OnnxDtype = (typeof ONNX_DTYPES)[number];
/** File name suffix of each dtype's model in `onnx/`, as transformers.js names them. */
const FILE_SUFFIX: Record<OnnxDtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};
/** The default preference when no dtype is configured. */
const DTYPE_PREFERENCE: OnnxDtype[] = ['fp32', 'q8', 'fp16', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];

/** The parts of transformers.js this encoder uses. */
interface FeatureTensor {
  data: ArrayLike<number>;
  dims: number[];
}
type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<FeatureTensor>;
interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(
    task: 'feature-extraction',
    model: string,
    options: { local_files_only: boolean; dtype: string },
  ): Promise<FeatureExtractor>;
}

/**
 * The files of a sentence-transformers folder this encoder needs, checked before anything loads.
 *
 * @example
 * const { dim, dtype, modelFile }: OnnxFolder = inspectOnnxFolder('models/all-MiniLM-L6-v2');
 */
export interface OnnxFolder {
  dir: string;
  dtype: OnnxDtype;
  modelFile: string;
  dim: number;
  /** Short digest of config.json and the model file's size and mtime: it changes with the model. */
  digest: string;
}

/**
 * Checks that `dir` holds config.json, tokenizer.json and the ONNX model of `dtype` (or of the
 * first present dtype), naming the first missing file, and reads the vector size from config.json.
 *
 * @example
 * inspectOnnxFolder('models/all-MiniLM-L6-v2'); // { dtype: 'fp32', dim: 384, modelFile: '.../onnx/model.onnx', ... }
 */
export function inspectOnnxFolder(dir: string, dtype?: OnnxDtype): OnnxFolder {
  const absolute = path.resolve(dir);
  if (!existsSync(absolute))
    throw new TideError('NOT_FOUND', `${absolute}: the ONNX model folder does not exist`);
  for (const file of ['config.json', 'tokenizer.json']) {
    if (!existsSync(path.join(absolute, file))) {
      throw new TideError(
        'NOT_FOUND',
        `${absolute}: ${file} is missing (a sentence-transformers folder needs it)`,
      );
    }
  }
  const candidates = dtype === undefined ? DTYPE_PREFERENCE : [dtype];
  const modelFile = (d: OnnxDtype) => path.join(absolute, 'onnx', `model${FILE_SUFFIX[d]}.onnx`);
  const found = candidates.find((d) => existsSync(modelFile(d)));
  if (found === undefined) {
    const names = candidates.map((d) => `onnx/model${FILE_SUFFIX[d]}.onnx`).join(', ');
    throw new TideError('NOT_FOUND', `${absolute}: ${names} is missing (no ONNX model to run)`);
  }
  const configText = readFileSync(path.join(absolute, 'config.json'), 'utf8');
  const dim = hiddenSize(configText, path.join(absolute, 'config.json'));
  const { size, mtimeMs } = statSync(modelFile(found));
  const digest = createHash('sha256')
    .update(`${found}\n${size}\n${Math.round(mtimeMs)}\n${configText}`)
    .digest('hex')
    .slice(0, 16);
  return { dir: absolute, dtype: found, modelFile: modelFile(found), dim, digest };
}

function hiddenSize(configText: string, file: string): number {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(configText) as Record<string, unknown>;
  } catch (cause) {
    throw new TideError('CONFIG', `${file}: not valid JSON`, { file }, { cause });
  }
  const dim = config.hidden_size ?? config.d_model ?? config.dim;
  if (!Number.isInteger(dim) || (dim as number) <= 0) {
    throw new TideError('CONFIG', `${file}: lacks a positive integer hidden_size (or d_model, dim)`, {
      file,
      field: 'hidden_size',
    });
  }
  return dim as number;
}

/** Imports the optional package, or says how to install it. */
async function importTransformers(moduleName: string = TRANSFORMERS_PACKAGE): Promise<TransformersModule> {
  let loaded: unknown;
  try {
    loaded = await import(moduleName);
  } catch (cause) {
    throw new TideError(
      'CONFIG',
      `the local-onnx text encoder needs the optional package ${moduleName}, which is not installed: ` +
        `run "npm install ${moduleName}" (the project's .npmrc already skips onnxruntime-node's GPU download)`,
      undefined,
      { cause },
    );
  }
  const module = loaded as Partial<TransformersModule>;
  if (typeof module.pipeline !== 'function' || typeof module.env !== 'object') {
    throw new TideError('CONFIG', `${moduleName} does not export pipeline() and env: an unsupported version`);
  }
  return module as TransformersModule;
}

/**
 * A sentence-transformers model from a local folder, run by `@huggingface/transformers` (an
 * optional dependency) with mean pooling and L2 normalisation; remote model downloads are off.
 *
 * @example
 * const encoder = await LocalOnnxEncoder.load({ dir: 'models/all-MiniLM-L6-v2' });
 * encoder.id; // 'local-onnx:all-MiniLM-L6-v2#3f2a9c0d1e4b5a67'
 */
export class LocalOnnxEncoder implements TextEncoder {
  private constructor(
    readonly id: string,
    readonly dim: number,
    private readonly extract: FeatureExtractor,
    private readonly batchSize: number,
  ) {}

  /** Checks the folder's files, then imports transformers.js and builds the pipeline. */
  static async load(input: z.input<typeof LocalOnnxOptions>): Promise<LocalOnnxEncoder> {
    const options = validate(LocalOnnxOptions, input, 'local-onnx options');
    const folder = inspectOnnxFolder(options.dir, options.dtype);
    const transformers = await importTransformers();
    transformers.env.allowRemoteModels = false;
    transformers.env.allowLocalModels = true;
    transformers.env.localModelPath = `${path.dirname(folder.dir)}${path.sep}`;
    const name = path.basename(folder.dir);
    const extract = await transformers
      .pipeline('feature-extraction', name, { local_files_only: true, dtype: folder.dtype })
      .catch((cause: unknown) => {
        throw new TideError(
          'CONFIG',
          `${folder.dir}: transformers.js cannot load the model: ${String(cause)}`,
          undefined,
          {
            cause,
          },
        );
      });
    return new LocalOnnxEncoder(
      `local-onnx:${name}#${folder.digest}`,
      folder.dim,
      extract,
      options.batchSize,
    );
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let from = 0; from < texts.length; from += this.batchSize) {
      const batch = texts.slice(from, from + this.batchSize);
      const tensor = await this.extract(batch, { pooling: 'mean', normalize: true });
      if (tensor.dims.length !== 2 || tensor.dims[0] !== batch.length || tensor.dims[1] !== this.dim) {
        throw new TideError(
          'CONFIG',
          `${this.id}: the model returned shape [${tensor.dims.join(', ')}], expected [${batch.length}, ${this.dim}]`,
        );
      }
      // tensor.data is row-major [batch.length, dim].
      for (let row = 0; row < batch.length; row++) {
        const vector = new Float32Array(this.dim);
        for (let i = 0; i < this.dim; i++) vector[i] = tensor.data[row * this.dim + i];
        out.push(vector);
      }
    }
    return out;
  }
}
