import { describe, expect, it } from 'vitest';
import { resolveCssVariables } from './exportSvg';

describe('resolveCssVariables', () => {
  const vars: Record<string, string> = { '--fg': ' #eee ', '--bg': '' };
  const lookup = (name: string) => vars[name] ?? '';

  it('replaces a set variable by its computed value', () => {
    expect(resolveCssVariables('var(--fg, #111)', lookup)).toBe('#eee');
  });

  it('uses the fallback, including one with parentheses, when the variable is unset', () => {
    expect(resolveCssVariables('var(--bg, #fff)', lookup)).toBe('#fff');
    expect(resolveCssVariables('var(--grid, rgb(1, 2, 3))', lookup)).toBe('rgb(1, 2, 3)');
  });

  it('leaves text without variables alone', () => {
    expect(resolveCssVariables('#D55E00', lookup)).toBe('#D55E00');
  });
});
