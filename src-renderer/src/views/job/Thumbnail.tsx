import { useState } from 'react';

/**
 * The latest finished frame, served by main at `files/frame` (browser mode: the HTTP server; in
 * Electron: the app protocol). A relative URL works for both. Formats a browser cannot show (EXR)
 * fail to load: say so instead of a broken image.
 */
export function Thumbnail({ jobId, frame }: { jobId: number; frame: number | null }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (frame === null) return <div className="thumb-empty">No finished frame yet.</div>;
  const src = `files/frame?job=${jobId}&frame=${frame}`;
  return (
    <figure className="thumb">
      {failed === src ? (
        <div className="thumb-empty">Frame {frame} has no preview (the format may not display in a browser).</div>
      ) : (
        <img key={src} src={src} alt={`Frame ${frame}`} onError={() => setFailed(src)} data-testid="thumbnail" />
      )}
      <figcaption className="mono">frame {frame}</figcaption>
    </figure>
  );
}
