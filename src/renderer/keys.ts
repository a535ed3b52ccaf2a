/**
 * The panel's keyboard. Digits and arrows act only outside text boxes, so that a memo can still
 * hold "1" or move its caret; Alt+digit and Alt+arrow act everywhere. `code` is read for Alt
 * because macOS turns Alt+1 into "¡".
 */
import type { KeyboardEvent } from 'react';
import type { Flag } from '../shared/flag';

export type PanelKey =
  { kind: 'flag'; flag: Flag } | { kind: 'save' } | { kind: 'close' } | { kind: 'move'; delta: 1 | -1 };

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'range', 'file', 'image']);

export function isTextEntry(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || el.isContentEditable) return true;
  return tag === 'input' && !NON_TEXT_INPUTS.has((el as HTMLInputElement).type);
}

function digitOf(e: KeyboardEvent): number | null {
  if (/^[0-9]$/.test(e.key)) return Number(e.key);
  if (!e.altKey) return null;
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(e.code);
  return m ? Number(m[1]) : null;
}

export function panelKey(e: KeyboardEvent): PanelKey | null {
  if (e.nativeEvent.isComposing) return null;
  if (e.key === 'Escape') return { kind: 'close' };
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return { kind: 'save' };
  if (e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const free = e.altKey || !isTextEntry(e.target);
  if (!free) return null;
  const digit = digitOf(e);
  if (digit !== null) return digit <= 5 ? { kind: 'flag', flag: digit as Flag } : null;
  if (e.key === 'ArrowUp') return { kind: 'move', delta: -1 };
  if (e.key === 'ArrowDown') return { kind: 'move', delta: 1 };
  return null;
}
