import { useEffect, useRef, useState } from 'react';

/**
 * At most one new preview this often: a fast sequence must not turn into a request per frame, yet
 * a saved frame should show within a quarter second (issue 16: 1.5 s here made the preview lag its
 * grid cell by up to that long; the latency bench measures it).
 */
const MIN_SWAP_MS = 250;

const frameUrl = (jobId: number, frame: number): string => `files/frame?job=${jobId}&frame=${frame}`;

/**
 * The latest finished frame, served by main at `files/frame` (browser mode: the HTTP server; in
 * Electron: the app protocol), so a relative URL works for both. The next image is loaded off
 * screen and swapped in once it decoded, so the preview never blinks empty. Formats a browser
 * cannot show (EXR, TIFF…) arrive as the engine's PNG preview; if even that fails, it is said
 * instead of showing a broken image. Clicking it opens the frame in the viewer.
 */
export function Thumbnail({ jobId, frame, onOpen }: { jobId: number; frame: number | null; onOpen(frame: number): void }) {
  const [shown, setShown] = useState<{ frame: number; src: string } | null>(null);
  const [failed, setFailed] = useState<number | null>(null);
  const lastSwap = useRef(0);

  useEffect(() => {
    if (frame === null) {
      setShown(null);
      return;
    }
    let cancelled = false;
    const load = (): void => {
      const src = frameUrl(jobId, frame);
      const img = new Image();
      img.onload = () => {
        if (cancelled) return;
        lastSwap.current = Date.now();
        setFailed(null);
        setShown({ frame, src });
      };
      img.onerror = () => {
        if (!cancelled) setFailed(frame);
      };
      img.src = src;
    };
    const wait = Math.max(0, MIN_SWAP_MS - (Date.now() - lastSwap.current));
    const timer = setTimeout(load, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [jobId, frame]);

  if (frame === null) return <div className="thumb-empty">No finished frame yet.</div>;
  return (
    <figure className="thumb">
      {shown ? (
        <button type="button" className="thumb-open" onClick={() => onOpen(shown.frame)} aria-label={`Open frame ${shown.frame} in the viewer`} data-testid="thumbnail-open">
          <img src={shown.src} alt={`Frame ${shown.frame}`} data-testid="thumbnail" data-frame={shown.frame} />
        </button>
      ) : failed !== null ? (
        <div className="thumb-empty">Frame {failed} has no preview (its format may not display in a browser).</div>
      ) : (
        <div className="thumb-empty">Loading frame {frame}…</div>
      )}
      <figcaption className="mono">
        frame {shown?.frame ?? frame}
        {failed !== null && shown ? <span className="muted"> · {failed} has no preview</span> : null}
      </figcaption>
    </figure>
  );
}
