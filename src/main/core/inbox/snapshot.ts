/**
 * The inbox's memory state saved beside its journal, with the journal's mark at that moment, so
 * that opening a large inbox reads the state and replays only the journal lines written after it
 * instead of parsing every line again.
 *
 * A cache, never the record: the journal stays the one source of truth. A snapshot is written
 * whole or not at all (a temp file, flushed, renamed over the old one) and each of its lines
 * carries a checksum. One that is torn, unreadable, of another version, or whose journal no
 * longer starts with exactly the bytes it was made from (a compaction since, a damaged or
 * replaced file) is not used: the journal is then replayed from its start.
 */
import path from 'node:path';
import { decodeWhole, encodeLines, readIfExists, removeTemp, writeFileAtomically, type JournalMark } from './journal';
import { isSavedOrder, OrdersView, type SavedOrder } from './orders';
import { InboxState } from './state';

export const SNAPSHOT_FILE = 'inbox.snapshot';

/**
 * Bump on any change to what a snapshot holds or to how records fold into the state (OrdersView,
 * InboxState.apply): a snapshot of another version is not used, so the state always comes from
 * this version's folding.
 */
export const SNAPSHOT_VERSION = 2;

/** A save that crashed before its rename leaves a temp file; the snapshot before it is intact.
 * Only the folder's writer removes it. */
export async function removeSnapshotTemp(dir: string): Promise<void> {
  await removeTemp(path.join(dir, SNAPSHOT_FILE));
}

/** Lines of a few hundred KB: no giant string, no per-order line overhead. */
const IDS_PER_LINE = 5_000;
const ORDERS_PER_LINE = 500;

interface Head {
  k: 'head';
  v: number;
  /** The journal bytes this state is the fold of. */
  journal: JournalMark;
  /** How many ids and orders the lines after this one hold: fewer means a lost line. */
  ids: number;
  orders: number;
  undecoded: number;
  /** Infinity (nothing stored) is written as null. */
  oldestAt: number | null;
  staleLines: number;
  /** -Infinity (no message yet) is written as null. */
  newestPub: number | null;
  newestPubs: number[];
}

type SnapshotLine = Head | { k: 'ids'; ids: string[] } | { k: 'orders'; orders: SavedOrder[] };

export interface Snapshot {
  state: InboxState;
  mark: JournalMark;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function isMark(v: unknown): v is JournalMark {
  const m = v as Partial<JournalMark> | null;
  return typeof m === 'object' && m !== null && isCount(m.size) && isCount(m.crc);
}

function isSnapshotLine(v: unknown): v is SnapshotLine {
  if (typeof v !== 'object' || v === null) return false;
  const line = v as Record<string, unknown>;
  switch (line.k) {
    case 'head':
      return (
        isCount(line.v) &&
        isMark(line.journal) &&
        isCount(line.ids) &&
        isCount(line.orders) &&
        isCount(line.undecoded) &&
        (line.oldestAt === null || Number.isFinite(line.oldestAt)) &&
        isCount(line.staleLines) &&
        (line.newestPub === null || Number.isFinite(line.newestPub)) &&
        Array.isArray(line.newestPubs) &&
        line.newestPubs.every((t) => Number.isFinite(t))
      );
    case 'ids':
      return Array.isArray(line.ids) && line.ids.every((id) => typeof id === 'string');
    case 'orders':
      return Array.isArray(line.orders) && line.orders.every(isSavedOrder);
    default:
      return false;
  }
}

function* encodeSnapshot(head: Head, ids: readonly string[], orders: readonly SavedOrder[]): Iterable<Buffer> {
  yield encodeLines([head]);
  for (let i = 0; i < ids.length; i += IDS_PER_LINE)
    yield encodeLines([{ k: 'ids', ids: ids.slice(i, i + IDS_PER_LINE) }]);
  for (let i = 0; i < orders.length; i += ORDERS_PER_LINE)
    yield encodeLines([{ k: 'orders', orders: orders.slice(i, i + ORDERS_PER_LINE) }]);
}

/**
 * Saves the state as the fold of the journal up to `mark`. The state must not change until this
 * resolves (the inbox calls it from its one-at-a-time queue): the orders are encoded as they go out.
 */
export async function saveSnapshot(dir: string, state: InboxState, mark: JournalMark): Promise<void> {
  const ids = [...state.ids];
  const orders = state.view.save();
  const head: Head = {
    k: 'head',
    v: SNAPSHOT_VERSION,
    journal: mark,
    ids: ids.length,
    orders: orders.length,
    undecoded: state.undecoded,
    oldestAt: Number.isFinite(state.oldestAt) ? state.oldestAt : null,
    staleLines: state.staleLines,
    newestPub: Number.isFinite(state.newestPub) ? state.newestPub : null,
    newestPubs: [...state.newestPubs],
  };
  await writeFileAtomically(path.join(dir, SNAPSHOT_FILE), encodeSnapshot(head, ids, orders));
}

/** The saved state and the journal mark it belongs to; undefined when there is none to trust. */
export async function loadSnapshot(dir: string): Promise<Snapshot | undefined> {
  const file = path.join(dir, SNAPSHOT_FILE);
  const lines = decodeWhole(await readIfExists(file), isSnapshotLine);
  const head = lines?.[0];
  if (lines === undefined || head?.k !== 'head' || head.v !== SNAPSHOT_VERSION) return undefined;
  const ids = new Set<string>();
  const orders: SavedOrder[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.k === 'ids') for (const id of line.ids) ids.add(id);
    else if (line.k === 'orders') for (const order of line.orders) orders.push(order);
    else return undefined;
  }
  if (ids.size !== head.ids || orders.length !== head.orders) return undefined;
  const state = new InboxState(
    ids,
    OrdersView.restore(orders),
    head.undecoded,
    head.oldestAt ?? Infinity,
    head.staleLines,
    head.newestPub ?? -Infinity,
    head.newestPubs,
  );
  return { state, mark: head.journal };
}
