import { describe, expect, it } from 'vitest';
import { printable, table } from '../../src/cli/format.js';

describe('printable', () => {
  it('escapes what would move a terminal cursor, clear a screen or reorder a row', () => {
    expect(printable('gpu\u001b[2J\u001b[Hfake')).toBe('gpu\\x1b[2J\\x1b[Hfake');
    expect(printable('a\rb\nc\u0007')).toBe('a\\x0db\\x0ac\\x07');
    expect(printable('name\u202egnp.exe')).toBe('name\\u{202e}gnp.exe');
    expect(printable('NVIDIA H200 · 141 GB')).toBe('NVIDIA H200 · 141 GB');
  });

  it('keeps a hostile worker name in its own cell', () => {
    const out = table(['ID', 'NAME'], [['w-1', 'evil\nw-2  forged-row']]);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(out).toContain('evil\\x0aw-2  forged-row');
  });
});
