import path from 'node:path';

/** Frame formats every browser shows as they are. */
export const BROWSER_IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.bmp']);
/** Frame formats a browser cannot show: the engine makes a PNG preview of them with oiiotool. */
export const PREVIEW_EXTENSIONS = new Set(['.exr', '.tif', '.tiff', '.dpx', '.tga', '.hdr']);
/** Formats that store scene-linear light: converted to sRGB for display. */
export const LINEAR_EXTENSIONS = new Set(['.exr', '.hdr']);

export function needsPreview(file: string): boolean {
  return PREVIEW_EXTENSIONS.has(path.extname(file).toLowerCase());
}
