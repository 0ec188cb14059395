import { describe, expect, it } from 'vitest';
import type { SceneInfoDto } from '../../../src-preload/contract';
import { EMPTY_FORM } from './job-form';
import { applyProbe, clearProbed, isYours, outsideSceneRange } from './probe-fill';

const scene24: SceneInfoDto = { frameStart: 1, frameEnd: 24, frameStep: 1, output: '/tmp/', cameras: ['Cam', 'Side'], activeCamera: 'Cam' };
const scene1: SceneInfoDto = { frameStart: 1, frameEnd: 1, frameStep: 1, output: '/renders/one_####', cameras: ['Cam'], activeCamera: 'Cam' };

describe('a probe that follows the scene', () => {
  it('fills empty fields, then replaces its own values for a new scene', () => {
    const first = applyProbe(EMPTY_FORM, {}, scene24);
    expect(first.form).toMatchObject({ frames: '1-24', output: '/tmp/', camera: 'Cam' });
    const cleared = clearProbed(first.form, first.filled);
    expect(cleared).toMatchObject({ frames: '', output: '', camera: '' });
    const second = applyProbe(cleared, {}, scene1);
    expect(second.form).toMatchObject({ frames: '1-1', output: '/renders/one_####', camera: '' });
    // Even without the clear in between (a reply for the new scene first), the probe's values are replaced.
    expect(applyProbe(first.form, first.filled, scene1).form).toMatchObject({ frames: '1-1', output: '/renders/one_####', camera: '' });
  });

  it('keeps and marks what the user typed', () => {
    const first = applyProbe(EMPTY_FORM, {}, scene24);
    const typed = { ...first.form, frames: '5-8' };
    expect(clearProbed(typed, first.filled)).toMatchObject({ frames: '5-8', output: '' });
    const next = applyProbe(typed, first.filled, scene1);
    expect(next.form.frames).toBe('5-8');
    expect(next.filled.frames).toBeUndefined();
    expect(isYours(next.form, next.filled, scene1, 'frames')).toBe(true);
    expect(isYours(next.form, next.filled, scene1, 'output')).toBe(false);
  });

  it('finds frames outside the scene range', () => {
    expect(outsideSceneRange(Array.from({ length: 100 }, (_, i) => 1001 + i), scene24)).toEqual({ outside: 100, lowest: 1001, highest: 1100 });
    expect(outsideSceneRange([1, 12, 24], scene24)).toBeNull();
    expect(outsideSceneRange([1, 2], { note: 'no range' })).toBeNull();
  });
});
