import type { CSSProperties } from 'react';

/** Dynamic colours go in as CSS custom properties; the stylesheet decides where they apply. */
export function cssVars(vars: Record<`--${string}`, string>): CSSProperties {
  return vars as CSSProperties;
}
