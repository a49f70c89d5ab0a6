import { z } from 'zod';
import { validate } from '../../core/validate.js';

/** The recurrent cell of a family: GRU (GRU4Rec) or LSTM. Fixed per family, never chosen by data. */
export type RnnCell = 'gru' | 'lstm';

/** Number of rows of the event-type embedding: padding + the six `EVENT_TYPES` (code + 1). */
export const TYPE_ROWS = 7;

function fields<Cell extends z.ZodType<RnnCell, RnnCell | undefined>>(cell: Cell) {
  return z
    .object({
      cell,
      /** Only the last maxLength events of a history are read. */
      maxLength: z.number().int().positive().default(200),
      embeddingDim: z.number().int().positive().default(64),
      hiddenDim: z.number().int().positive().default(100),
      /** Stacked recurrent layers; layer k > 0 reads the hidden states of layer k - 1. */
      layers: z.number().int().min(1).max(8).default(1),
      /** Dropout rate on every layer's input (the embeddings first) and on the last hidden output. */
      dropout: z.number().min(0).lt(1).default(0.2),
      /** Score against the input embedding through a dense projection (no output bias). */
      tiedOutput: z.boolean().default(false),
      /** Add a learned [embeddingDim] vector times log1p(seconds since the previous event). */
      useTimeGaps: z.boolean().default(false),
      /** Add an event-type embedding [7, embeddingDim] to the input. */
      useTypes: z.boolean().default(false),
    })
    .strict();
}

/**
 * The configuration both recurrent families share; `cell` is 'gru' or 'lstm'.
 *
 * @example
 * const config = RnnConfig.parse({ cell: 'gru', hiddenDim: 128 });
 */
export const RnnConfig = fields(z.enum(['gru', 'lstm']).default('gru'));
export type RnnConfig = z.infer<typeof RnnConfig>;

/**
 * The schema of one family: the same fields, with `cell` fixed to `cell` (and defaulted to it).
 *
 * @example
 * const lstmSchema = rnnConfigSchema('lstm');
 * lstmSchema.parse({}).cell; // 'lstm'
 */
export function rnnConfigSchema<Cell extends RnnCell>(cell: Cell) {
  return fields(z.literal(cell).default(cell));
}

/**
 * Parses a recurrent config for `cell`, throwing a `TideError('CONFIG')` whose message and `location.field`
 * name the first offending field.
 *
 * @example
 * parseRnnConfig({ hiddenDim: 0 }, 'gru'); // throws "gru config: hiddenDim: Too small: expected number to be >0"
 */
export function parseRnnConfig(input: unknown, cell: RnnCell): RnnConfig {
  return validate(rnnConfigSchema(cell), input ?? {}, `${cell} config`);
}

/**
 * Gates per cell: GRU z, r, candidate; LSTM input, forget, output, candidate.
 *
 * @example
 * gateCount('lstm'); // 4: kernels are [in, 4 * hiddenDim]
 */
export function gateCount(cell: RnnCell): number {
  return cell === 'gru' ? 3 : 4;
}

/**
 * Width of the vector `hidden()` produces and that is scored against the output table.
 *
 * @example
 * scoredDim(RnnConfig.parse({ tiedOutput: true })); // 64, the embedding width
 */
export function scoredDim(config: RnnConfig): number {
  return config.tiedOutput ? config.embeddingDim : config.hiddenDim;
}
