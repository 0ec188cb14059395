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
  // The newest frame wanted, and whether a load is waiting or in flight. A load is never cancelled
  // for a newer frame: on a job saving a frame every few milliseconds each load was cancelled by
  // the next frame before its image arrived, and the preview never changed while the job ran.
  const wanted = useRef(frame);
  const busy = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    wanted.current = frame;
    if (frame === null) {
      setShown(null);
      return;
    }
    if (busy.current) return; // the load under way picks the newest frame up when it ends
    busy.current = true;
    const next = (): void => {
      const target = wanted.current;
      if (!mounted.current || target === null) {
        busy.current = false;
        return;
      }
      const src = frameUrl(jobId, target);
      const img = new Image();
      const settle = (ok: boolean): void => {
        if (!mounted.current) return;
        lastSwap.current = Date.now();
        if (ok) {
          setFailed(null);
          setShown({ frame: target, src });
        } else setFailed(target);
        if (wanted.current !== target) setTimeout(next, MIN_SWAP_MS);
        else busy.current = false;
      };
      img.onload = () => settle(true);
      img.onerror = () => settle(false);
      img.src = src;
    };
    setTimeout(next, Math.max(0, MIN_SWAP_MS - (Date.now() - lastSwap.current)));
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
