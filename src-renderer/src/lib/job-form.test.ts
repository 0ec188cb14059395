import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, formToSubmit, serverFieldErrors } from './job-form';

describe('formToSubmit', () => {
  it('builds the contract input from what was typed', () => {
    const { input, errors } = formToSubmit(
      { ...EMPTY_FORM, scene: ' /p/shot.blend ', frames: '1-100x5', chunk: '4', priority: '3', device: 'gpu:1', retries: '1', stall: '600', output: '/r/s_####.png', samples: '16' },
      false,
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      scene: '/p/shot.blend',
      frames: '1-100x5',
      chunk: 4,
      priority: 3,
      retries: 1,
      stallTimeoutSec: 600,
      taskTimeoutSec: null,
      device: { gpu: 1 },
      output: '/r/s_####.png',
      overrides: { samples: 16 },
    });
  });

  it('reports bad fields before anything is sent', () => {
    const { errors } = formToSubmit({ ...EMPTY_FORM, frames: '1-x', chunk: 'big', priority: '5000' }, false);
    expect(errors.scene).toBe('choose a scene file');
    expect(errors.frames).toContain('column 3');
    expect(errors.chunk).toBe('chunk size is a whole number');
    expect(errors.priority).toBe('priority is between -1000 and 1000');
  });

  it('renders on a farm only when one is chosen', () => {
    expect(formToSubmit({ ...EMPTY_FORM, scene: '/p/a.blend' }, false).input).not.toHaveProperty('farm');
    expect(formToSubmit({ ...EMPTY_FORM, scene: '/p/a.blend', farm: 'hpc' }, false).input).toMatchObject({ farm: 'hpc' });
    expect(serverFieldErrors('no farm named "gone" (spool farm list shows them)', 'farm')).toEqual({ farm: 'no farm named "gone" (spool farm list shows them)' });
  });

  it('needs a template for a generic command, not a scene', () => {
    const { errors } = formToSubmit({ ...EMPTY_FORM, dcc: 'command' }, true);
    expect(errors).toEqual({ template: 'a generic command needs a command template' });
  });
});

describe('serverFieldErrors', () => {
  it('places an error by its field, without repeating the field name', () => {
    expect(serverFieldErrors('scene: scene file not found: /x.blend', 'scene')).toEqual({ scene: 'scene file not found: /x.blend' });
  });

  it('puts each line of a many-field message beside its own field', () => {
    expect(serverFieldErrors('frames: too long\nretries: must be at most 100', 'frames')).toEqual({ frames: 'too long', retries: 'must be at most 100' });
  });

  it('splits a validation message into its fields; the rest goes to the foot', () => {
    expect(serverFieldErrors('frames: too long\noverrides.samples: too big\nsomething else', 'input')).toEqual({
      frames: 'too long',
      samples: 'too big',
      general: 'something else',
    });
  });
});
