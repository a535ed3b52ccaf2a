// @vitest-environment happy-dom
import type { KeyboardEvent } from 'react';
import { describe, expect, it } from 'vitest';
import { panelKey } from '../../src/renderer/keys';

function key(
  init: Partial<Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>>,
  target: Element,
  isComposing = false,
): KeyboardEvent {
  return {
    key: '',
    code: '',
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    target,
    nativeEvent: { isComposing },
    ...init,
  } as unknown as KeyboardEvent;
}

describe('panelKey', () => {
  const div = document.createElement('div');
  const textarea = document.createElement('textarea');
  const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
  const text = Object.assign(document.createElement('input'), { type: 'text' });

  it('reads macOS Alt+digit by its code', () => {
    expect(panelKey(key({ key: '£', code: 'Digit3', altKey: true }, textarea))).toEqual({ kind: 'flag', flag: 3 });
    expect(panelKey(key({ key: '1', code: 'Numpad1', altKey: true }, textarea))).toEqual({ kind: 'flag', flag: 1 });
  });

  it('leaves digits and arrows to text boxes, not to checkboxes', () => {
    expect(panelKey(key({ key: '2' }, textarea))).toBeNull();
    expect(panelKey(key({ key: '2' }, text))).toBeNull();
    expect(panelKey(key({ key: 'ArrowDown' }, textarea))).toBeNull();
    expect(panelKey(key({ key: '2' }, checkbox))).toEqual({ kind: 'flag', flag: 2 });
    expect(panelKey(key({ key: 'ArrowDown' }, div))).toEqual({ kind: 'move', delta: 1 });
  });

  it('ignores keys while an input method is composing (Chinese input)', () => {
    expect(panelKey(key({ key: 'Escape' }, textarea, true))).toBeNull();
    expect(panelKey(key({ key: 'Enter', ctrlKey: true }, textarea, true))).toBeNull();
  });

  it('leaves Ctrl+digit and Shift+arrow to the system', () => {
    expect(panelKey(key({ key: '1', ctrlKey: true }, div))).toBeNull();
    expect(panelKey(key({ key: 'ArrowUp', shiftKey: true }, div))).toBeNull();
  });
});
