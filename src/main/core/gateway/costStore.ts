/**
 * The cost meter on disk (`cost.json` in the data folder): what the gateway billed must outlive a
 * restart and a crash. Saves are throttled (every batch would otherwise rewrite the file), run one
 * at a time in call order, each replacing the file atomically; a save that fails is logged and the
 * next one tries again, since the meter itself is still whole in memory.
 */
import path from 'node:path';
import { systemClock, type Clock } from '../clock';
import { readJsonFile, removeStaleTemps, writeFileAtomic, type FileSystem } from '../atomicFile';
import { silentLogger, type Logger } from '../ports';
import { CostMeter } from './cost';

export const COST_FILE = 'cost.json';
const SAVE_EVERY_MS = 5_000;

export interface CostStoreOptions {
  clock?: Clock;
  logger?: Logger;
  fs?: FileSystem;
  /** Beside the folder's writer (`cli remark`): read the meter, never clean up or save. */
  readOnly?: boolean;
}

export class CostStore {
  private savedAt = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    readonly meter: CostMeter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly fs: FileSystem | undefined,
    private readonly readOnly: boolean,
  ) {}

  /** Reads the meter saved in `dir` (a fresh one when there is none or it is unreadable). */
  static async open(dir: string, opts: CostStoreOptions = {}): Promise<CostStore> {
    const file = path.join(dir, COST_FILE);
    const clock = opts.clock ?? systemClock;
    // A temp file may be the writer's save in progress: only the writer clears them.
    if (!opts.readOnly) await removeStaleTemps(file, opts.fs);
    const meter = CostMeter.from(await readJsonFile(file, opts.fs), clock);
    return new CostStore(file, meter, clock, opts.logger ?? silentLogger, opts.fs, opts.readOnly ?? false);
  }

  /** Saves unless the last save is recent (`force`: always), or open read-only. Never rejects. */
  save(force = false): Promise<void> {
    if (this.readOnly) return this.queue;
    const now = this.clock.now();
    if (!force && now - this.savedAt < SAVE_EVERY_MS) return this.queue;
    this.savedAt = now;
    this.queue = this.queue.then(() => this.write());
    return this.queue;
  }

  private async write(): Promise<void> {
    try {
      await writeFileAtomic(this.file, JSON.stringify(this.meter.toJSON()), this.fs);
    } catch (e) {
      this.logger.warn('could not save the cost meter', { error: String(e) });
    }
  }
}
