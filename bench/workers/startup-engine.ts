/**
 * The smallest face there is: start the Engine on a data dir, submit one job, and say so. The
 * parent times this process from spawn to the `accepted` line.
 *
 *   node startup-engine.mjs DATA_DIR
 */
import { Engine } from '../../src-main/engine/engine';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: startup-engine DATA_DIR');

const engine = await Engine.start({ dataDir });
// Paused: accepted and stored, but nothing renders while the process winds down.
const job = await engine.submit({ dcc: 'command', frames: '1', overrides: { template: 'true' } });
engine.setIntent(job.id, 'paused');
process.stdout.write(`accepted job ${job.id}\n`);
await engine.stop();
