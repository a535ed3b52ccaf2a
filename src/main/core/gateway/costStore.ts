/**
 * The cost meter on disk (`cost.json` in the data folder): what the gateway billed must outlive a
 * restart and a crash. Saves are throttled (every batch would otherwise rewrite the file), run one
 * at a time in call order, each replacing the file atomically; a save that fails is logged and the
 * next one tries again, since the meter itself is still whole in memory.
 *
 * A process beside the folder's writer (`cli remark` while `cli watch` or the app runs) must not
 * write `cost.json`: the writer's next save would put its own meter back over it. It leaves the
 * calls it was billed for in a file of its own under `cost.pending/` instead, and the writer adds
 * them to its meter as it opens and saves. Each such file is counted once: the writer names it in
 * `cost.json` (`merged`) in the same save that counts it, and removes it only after that save, so
 * a crash in between leaves a file already counted, and known to be.
 */
import * as nodeFs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { systemClock, type Clock } from '../clock';
import { readJsonFile, removeStaleTemps, tempFileTarget, writeFileAtomic, type FileSystem } from '../atomicFile';
import { makePrivateDir } from '../files';
import { silentLogger, type Logger } from '../ports';
import { asRecord } from './shape';
import { CostMeter, isBilledCall, type BilledCall } from './cost';

export const COST_FILE = 'cost.json';
/** Where processes beside the writer leave the calls they were billed for. */
export const PENDING_DIR = 'cost.pending';
const PENDING_SUFFIX = '.json';
/** A reader writes its pending file in milliseconds: a temp file of one named this long ago was left
 * by a reader that died mid-write, and is never renamed into a pending file. */
const STALE_PENDING_TEMP_MS = 60 * 60_000;
const SAVE_EVERY_MS = 5_000;

export interface CostStoreOptions {
  clock?: Clock;
  logger?: Logger;
  fs?: FileSystem;
  /** Beside the folder's writer (`cli remark`): read the meter, never clean up or write
   * `cost.json`; its own calls go to a file under cost.pending/ for the writer to count. */
  readOnly?: boolean;
}

export class CostStore {
  private savedAt = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();
  /** Read-only: calls billed since the last pending file. */
  private unsaved: BilledCall[] = [];
  /** Writer: pending files counted in the meter, not yet removed. */
  private readonly merged: Set<string>;

  private constructor(
    private readonly dir: string,
    readonly meter: CostMeter,
    merged: readonly string[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly fs: FileSystem,
    private readonly readOnly: boolean,
  ) {
    this.merged = new Set(merged);
  }

  /** Reads the meter saved in `dir` (a fresh one when there is none or it is unreadable); a writer
   * adds the calls other processes left for it. */
  static async open(dir: string, opts: CostStoreOptions = {}): Promise<CostStore> {
    const file = path.join(dir, COST_FILE);
    const clock = opts.clock ?? systemClock;
    const readOnly = opts.readOnly ?? false;
    // A temp file may be the writer's save in progress: only the writer clears them.
    if (!readOnly) await removeStaleTemps(file, opts.fs);
    const json = await readJsonFile(file, opts.fs);
    const meter = CostMeter.from(json, clock);
    const merged = asRecord(json)?.merged;
    const store = new CostStore(
      dir,
      meter,
      Array.isArray(merged) ? merged.filter((n): n is string => typeof n === 'string') : [],
      clock,
      opts.logger ?? silentLogger,
      opts.fs ?? nodeFs,
      readOnly,
    );
    if (readOnly) meter.onRecord((call) => store.unsaved.push(call));
    else await store.takePending();
    return store;
  }

  /** Saves unless the last save is recent (`force`: always). Never rejects. */
  save(force = false): Promise<void> {
    if (this.readOnly && this.unsaved.length === 0) return this.queue;
    const now = this.clock.now();
    if (!force && now - this.savedAt < SAVE_EVERY_MS) return this.queue;
    this.savedAt = now;
    this.queue = this.queue.then(() => (this.readOnly ? this.writePending() : this.write()));
    return this.queue;
  }

  private async write(): Promise<void> {
    try {
      await this.takePending();
      const state = { ...this.meter.toJSON(), merged: [...this.merged] };
      await writeFileAtomic(path.join(this.dir, COST_FILE), JSON.stringify(state), this.fs);
    } catch (e) {
      this.logger.warn('could not save the cost meter', { error: String(e) });
      return;
    }
    // Counted and saved: the files can go. One that stays is named in cost.json, and skipped.
    for (const name of [...this.merged]) {
      try {
        await this.fs.rm(path.join(this.dir, PENDING_DIR, name), { force: true });
        this.merged.delete(name);
      } catch (e) {
        this.logger.warn('could not remove a counted cost file', { file: name, error: String(e) });
      }
    }
  }

  /** Adds to the meter the calls in pending files not yet counted. */
  private async takePending(): Promise<void> {
    const pendingDir = path.join(this.dir, PENDING_DIR);
    let names: string[];
    try {
      names = await this.fs.readdir(pendingDir);
    } catch {
      return;
    }
    await this.removeDeadTemps(pendingDir, names);
    const fresh = new Set(names.filter((n) => n.endsWith(PENDING_SUFFIX)));
    // A name counted before and gone since needs no more remembering.
    for (const name of this.merged) if (!fresh.has(name)) this.merged.delete(name);
    for (const name of fresh) {
      if (this.merged.has(name)) continue;
      const calls = await readJsonFile(path.join(pendingDir, name), this.fs);
      if (!Array.isArray(calls) || !calls.every(isBilledCall)) {
        // Written whole or not at all (a temp file, renamed): this one is not ours to trust.
        this.logger.warn('unreadable cost file left as it is', { file: name });
        continue;
      }
      this.meter.addBilled(calls);
      this.merged.add(name);
    }
  }

  /** The temp files of readers that died while writing their pending file (named `<time>-…`, see
   * writePending): never counted, and nobody else would remove them. */
  private async removeDeadTemps(pendingDir: string, names: readonly string[]): Promise<void> {
    const now = this.clock.now();
    for (const name of names) {
      const writtenAt = Number(/^(\d+)-/.exec(tempFileTarget(name) ?? '')?.[1]);
      if (!(now - writtenAt > STALE_PENDING_TEMP_MS)) continue;
      await this.fs.rm(path.join(pendingDir, name), { force: true }).catch((e: unknown) => {
        this.logger.warn('could not remove an abandoned cost file', { file: name, error: String(e) });
      });
    }
  }

  /** Read-only: the calls billed since the last pending file, in a new one. */
  private async writePending(): Promise<void> {
    const calls = this.unsaved;
    if (calls.length === 0) return;
    this.unsaved = [];
    const name = `${this.clock.now()}-${process.pid}-${randomBytes(4).toString('hex')}${PENDING_SUFFIX}`;
    try {
      await makePrivateDir(path.join(this.dir, PENDING_DIR));
      await writeFileAtomic(path.join(this.dir, PENDING_DIR, name), JSON.stringify(calls), this.fs);
    } catch (e) {
      this.unsaved = [...calls, ...this.unsaved];
      this.logger.warn('could not save the cost meter', { error: String(e) });
    }
  }
}
