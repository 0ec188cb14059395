import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { FrameImageDto } from '../../../../src-preload/contract';
import { getBridge } from '../../bridge';
import { call, errorMessage } from '../../bridge/call';
import { stepFrame } from './frame-steps';
import { usePanZoom } from './use-pan-zoom';
import './frame-viewer.css';

interface Props {
  jobId: number;
  frame: number;
  /** Done frames in job order: what arrows and the flipbook step over. */
  viewable: readonly number[];
  order: readonly number[];
  onFrame(frame: number): void;
  onClose(): void;
}

const FPS_CHOICES = [6, 12, 24, 25, 30, 60];
/** Scenes do not report their frame rate to Spool yet: film's 24 until the user picks another. */
const DEFAULT_FPS = 24;
const LOG_TAIL_BYTES = 32 * 1024;

export const frameUrl = (jobId: number, frame: number, layer?: string | null): string =>
  `files/frame?job=${jobId}&frame=${frame}${layer != null ? `&layer=${encodeURIComponent(layer)}` : ''}`;

/**
 * One frame, full size: fit or 1:1, zoom (wheel, +/−) and pan (drag), arrows step over done
 * frames, a flipbook plays them, and the frame's log sits beside it. Frames browsers cannot show
 * (EXR…) come as the engine's PNG preview from the same `files/frame` URL; a multilayer EXR gets
 * a layer picker. A modal dialog: focus stays inside, Esc closes, focus goes back where it was.
 */
export function FrameViewer({ jobId, frame, viewable, order, onFrame, onClose }: Props) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const [stage, setStage] = useState({ width: 0, height: 0 });
  const [info, setInfo] = useState<FrameImageDto | null>(null);
  const [layer, setLayer] = useState<string | null>(null);
  const [shown, setShown] = useState<{ src: string; frame: number; width: number; height: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [fps, setFps] = useState(DEFAULT_FPS);
  const [log, setLog] = useState<string>('');
  const [copied, setCopied] = useState(false);
  const electron = getBridge().kind === 'electron';
  const src = frameUrl(jobId, frame, layer !== null && layer !== info?.defaultLayer ? layer : null);
  const { view, fit, actualSize, zoomIn, zoomOut, handlers } = usePanZoom(shown, stage);

  // Focus moves in, and back to what had it (the grid cell, the thumbnail) on close.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    dialogRef.current?.focus();
    return () => before?.focus?.();
  }, []);

  useLayoutEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const measure = (): void => setStage({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // The frame's path and layers; its log a moment later (not at flipbook speed).
  useEffect(() => {
    let live = true;
    call('frames.image', { id: jobId, frame })
      .then((value) => live && setInfo(value))
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
    };
  }, [jobId, frame]);
  useEffect(() => {
    if (playing) return;
    let live = true;
    const timer = setTimeout(() => {
      call('jobs.log', { id: jobId, frame, tail: LOG_TAIL_BYTES })
        .then((value) => live && setLog(value.text))
        .catch((error: unknown) => live && setLog(`(no log: ${errorMessage(error)})`));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId, frame, playing]);

  // The next image is decoded off screen and swapped in whole: stepping and playing never blink.
  useEffect(() => {
    let live = true;
    const img = new Image();
    img.onload = () => {
      if (!live) return;
      setFailure(null);
      setShown({ src, frame, width: img.naturalWidth, height: img.naturalHeight });
    };
    img.onerror = () => {
      if (!live) return;
      // An <img> cannot read why: ask the same URL for its message.
      fetch(src)
        .then((r) => r.text())
        .then((text) => live && setFailure(text.trim() || `frame ${frame} has no image`))
        .catch(() => live && setFailure(`frame ${frame} has no image`));
    };
    img.src = src;
    return () => {
      live = false;
    };
  }, [src, frame]);

  // The flipbook waits for each frame to be on screen before timing the next.
  useEffect(() => {
    if (!playing || viewable.length < 2 || shown?.frame !== frame) return;
    const timer = setTimeout(() => onFrame(stepFrame(viewable, order, frame, 1, true)), 1000 / fps);
    return () => clearTimeout(timer);
  }, [playing, fps, frame, shown, viewable, order, onFrame]);

  const step = useCallback((by: number) => onFrame(stepFrame(viewable, order, frame, by)), [viewable, order, frame, onFrame]);

  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>): void => {
    const target = e.target as HTMLElement;
    const inField = target.tagName === 'SELECT' || target.tagName === 'INPUT';
    let handled = true;
    if (e.key === 'Escape') onClose();
    else if (e.key === 'Tab') trapFocus(e, dialogRef.current);
    else if (inField) handled = false;
    else if (e.key === 'ArrowRight') step(1);
    else if (e.key === 'ArrowLeft') step(-1);
    else if (e.key === '+' || e.key === '=') zoomIn();
    else if (e.key === '-' || e.key === '_') zoomOut();
    else if (e.key === '0' || e.key === 'f') fit();
    else if (e.key === '1') actualSize();
    else if (e.key === ' ' && target === dialogRef.current) setPlaying((p) => !p);
    else handled = false;
    // Keys stay in the dialog: Esc must not also leave the job, arrows must not move the page.
    e.stopPropagation();
    if (handled && e.key !== 'Tab') e.preventDefault();
  };

  const copyPath = (): void => {
    if (!info) return;
    void navigator.clipboard?.writeText(info.path).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  const layers = info?.layers ?? [];
  const position = useMemo(() => viewable.indexOf(frame), [viewable, frame]);
  const zoomText = `${Math.round(view.scale * 100)}%`;

  return (
    <div className="overlay viewer-overlay">
      <div
        ref={dialogRef}
        className="viewer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="viewer-title"
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="frame-viewer"
        data-frame={frame}
      >
        <div className="viewer-bar">
          <h2 id="viewer-title" className="viewer-title">
            Frame {frame}
            <span className="muted">
              {' '}
              · {position >= 0 ? `${position + 1} of ${viewable.length} done` : 'not done'}
              {info ? ` · ${info.format.toUpperCase()}${info.preview ? ' (preview)' : ''}` : ''}
            </span>
          </h2>
          <div className="viewer-tools" role="toolbar" aria-label="Viewer">
            <button type="button" className="btn btn-tool" onClick={() => step(-1)} aria-label="Previous frame" title="Previous frame (←)">
              ◀
            </button>
            <button type="button" className="btn btn-tool" onClick={() => setPlaying((p) => !p)} aria-pressed={playing} data-testid="viewer-play" disabled={viewable.length < 2}>
              {playing ? 'Pause' : 'Play'}
            </button>
            <button type="button" className="btn btn-tool" onClick={() => step(1)} aria-label="Next frame" title="Next frame (→)">
              ▶
            </button>
            <label className="viewer-field">
              <span>fps</span>
              <select value={fps} onChange={(e) => setFps(Number(e.target.value))} aria-label="Flipbook frames per second">
                {FPS_CHOICES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <span className="viewer-sep" />
            <button type="button" className="btn btn-tool" onClick={fit} aria-pressed={view.mode === 'fit'} title="Fit (0)">
              Fit
            </button>
            <button type="button" className="btn btn-tool" onClick={actualSize} aria-pressed={view.mode === 'free' && view.scale === 1} title="Actual size (1)">
              1:1
            </button>
            <button type="button" className="btn btn-tool" onClick={zoomOut} aria-label="Zoom out" title="Zoom out (−)">
              −
            </button>
            <span className="viewer-zoom mono" aria-live="polite" data-testid="viewer-zoom">
              {zoomText}
            </span>
            <button type="button" className="btn btn-tool" onClick={zoomIn} aria-label="Zoom in" title="Zoom in (+)">
              +
            </button>
            {layers.length > 1 ? (
              <label className="viewer-field">
                <span>Layer</span>
                <select value={layer ?? info?.defaultLayer ?? ''} onChange={(e) => setLayer(e.target.value)} aria-label="EXR layer" data-testid="viewer-layer">
                  {layers.map((name) => (
                    <option key={name} value={name}>
                      {name || 'RGBA'}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <span className="viewer-sep" />
            {electron ? (
              <button type="button" className="btn btn-tool" disabled={!info} onClick={() => void call('frames.reveal', { id: jobId, frame })}>
                Open folder
              </button>
            ) : (
              <button type="button" className="btn btn-tool" disabled={!info} onClick={copyPath} title={info?.path} data-testid="viewer-copy-path">
                {copied ? 'Copied' : 'Copy path'}
              </button>
            )}
            <button type="button" className="btn btn-tool" onClick={onClose} aria-label="Close viewer" data-testid="viewer-close">
              ✕
            </button>
          </div>
        </div>
        <div className="viewer-body">
          <div ref={stageRef} className="viewer-stage" {...handlers} data-testid="viewer-stage">
            {shown ? (
              <img
                className={`viewer-image${view.scale >= 2 ? ' pixelated' : ''}`}
                src={shown.src}
                alt={`Frame ${shown.frame}`}
                draggable={false}
                width={shown.width}
                height={shown.height}
                data-testid="viewer-image"
                data-frame={shown.frame}
                style={{ transform: `translate(-50%, -50%) translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
              />
            ) : null}
            {failure ? (
              <p className="viewer-message" role="status">
                {failure}
              </p>
            ) : !shown ? (
              <p className="viewer-message" role="status">
                Loading frame {frame}…
              </p>
            ) : null}
          </div>
          <aside className="viewer-log" aria-label={`Log of frame ${frame}`}>
            <div className="viewer-log-title">Log · frame {frame}</div>
            {info ? (
              <div className="viewer-path mono" title={info.path}>
                {info.path}
              </div>
            ) : null}
            <FrameLog text={log} frame={frame} file={info?.path ?? null} />
          </aside>
        </div>
      </div>
    </div>
  );
}

/**
 * The chunk's log with this frame's own lines marked (Blender's `Fra:N`, and any line naming the
 * frame's file, such as its `Saved:` line), scrolled to the last of them.
 */
function FrameLog({ text, frame, file }: { text: string; frame: number; file: string | null }) {
  const ref = useRef<HTMLPreElement>(null);
  const lines = useMemo(() => {
    const name = file ? file.split(/[\\/]/).pop()! : null;
    return text.split('\n').map((line) => ({ line, mine: line.startsWith(`Fra:${frame} `) || (name !== null && line.includes(name)) }));
  }, [text, frame, file]);
  useEffect(() => {
    // By hand, not scrollIntoView: that would also scroll the dialog's clipped boxes.
    const pre = ref.current;
    const marked = pre?.querySelectorAll<HTMLElement>('.viewer-log-mine');
    const last = marked?.[marked.length - 1];
    if (pre && last) pre.scrollTop = last.offsetTop - pre.clientHeight / 2;
  }, [lines]);
  return (
    <pre ref={ref} className="viewer-log-text" data-testid="viewer-log" tabIndex={0}>
      {lines.map(({ line, mine }, i) => (
        <span key={i} className={mine ? 'viewer-log-mine' : undefined}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

/** Tab and Shift+Tab cycle through the dialog's controls instead of leaving it. */
function trapFocus(e: ReactKeyboardEvent, dialog: HTMLElement | null): void {
  if (!dialog) return;
  const items = [...dialog.querySelectorAll<HTMLElement>('button:not(:disabled), select, input, [tabindex="0"]')];
  if (items.length === 0) return;
  const first = items[0]!;
  const last = items.at(-1)!;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || active === dialog)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}
