import { open } from 'node:fs/promises';
import { requireSceneFile } from '../probe/scene-file';
import type { SceneInfo } from './adapter';

/** Enough of a scene to find `clock`; a .pov that includes it from elsewhere is read as not using it. */
const READ_BYTES = 1024 * 1024;

/**
 * What can be known of a .pov without rendering it: it holds no frame range or output (POV-Ray's
 * animation settings, +KFI/+KFF, come from the command line, which Spool writes), so the note says
 * so, and whether the scene reads `clock`: one that never does renders the same picture every frame.
 */
export async function probePovrayScene(scene: string): Promise<SceneInfo> {
  requireSceneFile(scene);
  const file = await open(scene, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(READ_BYTES);
    const { bytesRead } = await file.read(buffer, 0, READ_BYTES, 0);
    text = buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await file.close();
  }
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const animated = /\bclock\b/.test(code);
  const note = animated
    ? 'A .pov file holds no frame range: give the frames to render; the scene’s clock runs 0 → 1 across them.'
    : 'A .pov file holds no frame range: give the frames to render. This scene never reads clock, so every frame is the same picture.';
  return { note };
}
