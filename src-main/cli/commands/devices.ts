import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool devices [--json]   the CPU, memory and GPUs Spool can render on`;

const GIB = 1024 ** 3;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, false);
  const hardware = await withQueue(ctx, (queue) => queue.hardware(true));
  if (values.json) {
    ctx.out(`${JSON.stringify(hardware)}\n`);
    return EXIT.ok;
  }
  const { cpu, memory, gpus } = hardware;
  ctx.out(`CPU     ${cpu.model} — ${cpu.physicalCores} cores, ${cpu.logicalCores} threads\n`);
  ctx.out(`Memory  ${(memory.totalBytes / GIB).toFixed(1)} GiB\n`);
  if (gpus.length === 0) ctx.out('GPUs    none found (renders run on the CPU)\n');
  for (const gpu of gpus) {
    const vram = gpu.vramBytes !== null ? `${(gpu.vramBytes / GIB).toFixed(1)} GiB` : 'VRAM unknown';
    ctx.out(`GPU ${gpu.index}   ${gpu.vendor} ${gpu.model} — ${vram}${gpu.driver ? `, driver ${gpu.driver}` : ''}\n`);
  }
  return EXIT.ok;
}
