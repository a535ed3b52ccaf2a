/** Seller flag colours as the bcro endpoint numbers them (their names are in the catalogue). */
export const FLAGS = [
  { value: 0, key: 'gray', colour: '#9e9e9e' },
  { value: 1, key: 'red', colour: '#e53935' },
  { value: 2, key: 'yellow', colour: '#fbc02d' },
  { value: 3, key: 'green', colour: '#43a047' },
  { value: 4, key: 'blue', colour: '#1e88e5' },
  { value: 5, key: 'pink', colour: '#ec407a' },
] as const;

export type Flag = 0 | 1 | 2 | 3 | 4 | 5;

export function isFlag(v: unknown): v is Flag {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5;
}
