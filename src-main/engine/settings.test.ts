import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fake-dcc';
import { submitJob } from './commands';
import { storeFile } from './paths';
import { JOB_DEFAULTS, readSetting, writeSetting, type SettingInput } from './settings';
import { Store } from './store';

/** Real SQLite in a temp dir: what is written is read back through the same settings table. */
let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

function open(): Store {
  store = Store.open(storeFile(tempDir('spool-settings-')));
  return store;
}

describe('typed settings', () => {
  it('reads the default when a setting is unset', () => {
    const s = open();
    expect(readSetting(s, 'defaults')).toEqual({ retries: 2, stallTimeoutSec: null, taskTimeoutSec: null });
    expect(readSetting(s, 'defaults')).toEqual(JOB_DEFAULTS);
    expect(readSetting(s, 'dccs.user')).toEqual([]);
    expect(readSetting(s, 'watch')).toEqual([]);
    expect(readSetting(s, 'cache.hardware')).toBeNull();
  });

  it('keeps what was written and reads it back typed', () => {
    const s = open();
    writeSetting(s, 'defaults', { retries: 5, stallTimeoutSec: 600, taskTimeoutSec: null });
    expect(readSetting(s, 'defaults')).toEqual({ retries: 5, stallTimeoutSec: 600, taskTimeoutSec: null });
    writeSetting(s, 'dccs.user', [{ dcc: 'blender', executable: '/opt/blender/blender' }]);
    expect(readSetting(s, 'dccs.user')).toEqual([{ dcc: 'blender', executable: '/opt/blender/blender' }]);
  });

  it('refuses a wrong value with a message naming the setting and the field, and keeps the old one', () => {
    const s = open();
    writeSetting(s, 'defaults', { retries: 3, stallTimeoutSec: null, taskTimeoutSec: null });
    expect(() => writeSetting(s, 'defaults', { retries: 101, stallTimeoutSec: null, taskTimeoutSec: null })).toThrow(
      'defaults.retries: Too big: expected number to be <=100',
    );
    expect(() => writeSetting(s, 'defaults', { retries: 1, stallTimeoutSec: null, taskTimeoutSec: null, color: 'red' } as SettingInput<'defaults'>)).toThrow(
      /^defaults: Unrecognized key: "color"/,
    );
    expect(() => writeSetting(s, 'dccs.user', [{ dcc: 'Blender!', executable: '/x' }])).toThrow(
      'dccs.user.0.dcc: dcc is an adapter id like blender or command',
    );
    expect(readSetting(s, 'defaults').retries).toBe(3);
  });

  it('refuses a key it does not know', () => {
    expect(() => writeSetting(open(), 'colour' as 'defaults', JOB_DEFAULTS)).toThrow('setting: unknown setting "colour"');
  });

  it('reads a stored value its schema refuses as the default (an older Spool, a hand edit)', () => {
    const s = open();
    s.settings.set('defaults', { retries: 'many' });
    expect(readSetting(s, 'defaults')).toEqual(JOB_DEFAULTS);
  });

  it('reads the single watch folder the first versions stored as a list of one', () => {
    const s = open();
    s.settings.set('watch', { dir: '/srv/inbox', defaults: { frames: '1-10' } });
    expect(readSetting(s, 'watch')).toEqual([{ dir: '/srv/inbox', defaults: { frames: '1-10' } }]);
  });

  it('keeps detected programs no adapter runs, marked so (V-Ray is found, not supported yet)', () => {
    const s = open();
    const found = [
      { dcc: 'blender', executable: '/usr/bin/blender', version: '3.4.1', source: 'path' as const, label: 'Blender 3.4.1' },
      { dcc: 'vray', executable: '/opt/vray/bin/vray', version: '6.20.01', source: 'path' as const, label: 'V-Ray Standalone 6.20.01', supported: false as const },
    ];
    writeSetting(s, 'cache.dccs', found);
    expect(readSetting(s, 'cache.dccs')).toEqual(found);
  });

  it('a submit refused for its DCC version leaves the store as it was (detection is looked up, not stored)', async () => {
    const s = open();
    const before = s.rawHandleForTests().prepare('SELECT COUNT(*) AS n FROM settings').get();
    await expect(submitJob(s, { dcc: 'command', frames: '1', overrides: { template: 'true' }, version: '0' })).rejects.toThrow(/^version: no /);
    expect(s.rawHandleForTests().prepare('SELECT COUNT(*) AS n FROM settings').get()).toEqual(before);
  });
});
