import type { ModelRecord, ModelRegistry } from '../ports.js';
import { unknownModelError } from '../records.js';
import { validateModel } from '../validation.js';
import { byCodePoint } from './order.js';

const copyModel = (m: ModelRecord): ModelRecord => ({ ...m, metrics: { ...m.metrics } });

export class MemoryModelRegistry implements ModelRegistry {
  private readonly byId = new Map<string, ModelRecord>();

  constructor(private readonly ensureOpen: () => void) {}

  async register(record: Omit<ModelRecord, 'active'>): Promise<void> {
    this.ensureOpen();
    validateModel(record);
    const active = this.byId.get(record.id)?.active ?? false;
    const { id, dir, family, createdAt, metrics } = record;
    this.byId.set(id, { id, dir, family, createdAt, metrics: { ...metrics }, active });
  }

  async list(): Promise<ModelRecord[]> {
    this.ensureOpen();
    const models = [...this.byId.values()].sort(
      (a, b) => a.createdAt - b.createdAt || byCodePoint(a.id, b.id),
    );
    return models.map(copyModel);
  }

  async active(): Promise<ModelRecord | undefined> {
    this.ensureOpen();
    const found = [...this.byId.values()].find((m) => m.active);
    return found && copyModel(found);
  }

  async activate(id: string): Promise<void> {
    this.ensureOpen();
    if (!this.byId.has(id)) throw unknownModelError(id, [...this.byId.keys()]);
    for (const model of this.byId.values()) model.active = model.id === id;
  }
}
