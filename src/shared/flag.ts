/** Seller flag colours as the bcro endpoint numbers them. */
export const FLAGS = [
  { value: 0, key: 'gray', zh: '灰', en: 'Gray', colour: '#9e9e9e' },
  { value: 1, key: 'red', zh: '红', en: 'Red', colour: '#e53935' },
  { value: 2, key: 'yellow', zh: '黄', en: 'Yellow', colour: '#fbc02d' },
  { value: 3, key: 'green', zh: '绿', en: 'Green', colour: '#43a047' },
  { value: 4, key: 'blue', zh: '蓝', en: 'Blue', colour: '#1e88e5' },
  { value: 5, key: 'pink', zh: '粉', en: 'Pink', colour: '#ec407a' },
] as const;

export type Flag = 0 | 1 | 2 | 3 | 4 | 5;

export function isFlag(v: unknown): v is Flag {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5;
}
