import { describe, expect, it } from 'vitest';
import { throttleProgress } from '../../main/core/progress';

describe('throttleProgress', () => {
  it('sends the first, each stage change and the last, and at most one per interval in between', () => {
    let clock = 0;
    const sent: [string | undefined, number, number][] = [];
    const p = throttleProgress((s, d, t) => sent.push([s, d, t]), 100, () => clock);
    for (let i = 1; i <= 320; i++) {
      clock += 1; // 1 ms per chunk
      p('encrypt', i, 320);
    }
    p('store', 0, 1);
    p('store', 1, 1);
    expect(sent[0]).toEqual(['encrypt', 1, 320]);
    expect(sent).toContainEqual(['encrypt', 320, 320]);
    expect(sent.filter(([s]) => s === 'encrypt').length).toBe(5); // t = 1, 101, 201, 301, and the last
    expect(sent.slice(-2)).toEqual([['store', 0, 1], ['store', 1, 1]]);
  });
});
