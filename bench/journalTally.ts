/**
 * What an inbox directory holds on disk, read from the journal itself rather than through the
 * Inbox, which dedupes as it loads and so would hide a message stored twice.
 */
import path from 'node:path';
import { JOURNAL_FILE } from '../src/main/core/inbox/inbox';
import { Journal } from '../src/main/core/inbox/journal';
import { isInboxRecord } from '../src/main/core/inbox/records';

export interface JournalTally {
  /** Message lines, and the distinct ids among them. */
  messageLines: number;
  ids: Set<string>;
  undecodedLines: number;
}

/** Reads a closed inbox's journal. */
export async function tallyJournal(dir: string): Promise<JournalTally> {
  const { journal, records } = await Journal.open(path.join(dir, JOURNAL_FILE), isInboxRecord);
  await journal.close();
  const tally: JournalTally = { messageLines: 0, ids: new Set(), undecodedLines: 0 };
  for (const r of records) {
    if (r.k === 'message') {
      tally.messageLines++;
      tally.ids.add(r.m.id);
    } else if (r.k === 'undecoded') tally.undecodedLines++;
  }
  return tally;
}
