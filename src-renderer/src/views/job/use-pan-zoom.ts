import { useCallback, useRef, useState, type PointerEvent as ReactPointerEvent, type WheelEvent as ReactWheelEvent } from 'react';

const MIN_SCALE = 0.05;
const MAX_SCALE = 64;
const STEP = 1.25;

export interface View {
  /** 'fit': the whole frame in the stage; 'free': the user zoomed (1:1 is free at scale 1). */
  mode: 'fit' | 'free';
  scale: number;
  /** Pan offset of the image's centre from the stage's centre, CSS pixels. */
  x: number;
  y: number;
}

/**
 * Zoom (wheel, +/−, fit, 1:1) and pan (drag) of an image in a stage. Wheel zoom keeps the point
 * under the pointer still, as image viewers do.
 */
export function usePanZoom(image: { width: number; height: number } | null, stage: { width: number; height: number }) {
  const [view, setView] = useState<View>({ mode: 'fit', scale: 1, x: 0, y: 0 });
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);
  const fitScale = image && stage.width > 0 && stage.height > 0 ? Math.min(stage.width / image.width, stage.height / image.height) : 1;
  const scale = view.mode === 'fit' ? fitScale : view.scale;
  const shown = view.mode === 'fit' ? { ...view, scale, x: 0, y: 0 } : view;

  const zoomAt = useCallback(
    (factor: number, at: { x: number; y: number } = { x: 0, y: 0 }) =>
      setView((v) => {
        const from = v.mode === 'fit' ? { scale: fitScale, x: 0, y: 0 } : v;
        const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, from.scale * factor));
        const k = next / from.scale;
        return { mode: 'free', scale: next, x: at.x - (at.x - from.x) * k, y: at.y - (at.y - from.y) * k };
      }),
    [fitScale],
  );

  const onWheel = useCallback(
    (e: ReactWheelEvent<HTMLElement>) => {
      const r = e.currentTarget.getBoundingClientRect();
      zoomAt(e.deltaY < 0 ? STEP : 1 / STEP, { x: e.clientX - r.left - r.width / 2, y: e.clientY - r.top - r.height / 2 });
    },
    [zoomAt],
  );
  const onPointerDown = useCallback((e: ReactPointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
  }, []);
  const onPointerMove = useCallback(
    (e: ReactPointerEvent<HTMLElement>) => {
      const d = drag.current;
      if (!d || d.id !== e.pointerId) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      drag.current = { ...d, x: e.clientX, y: e.clientY };
      setView((v) => (v.mode === 'fit' ? { mode: 'free', scale: fitScale, x: dx, y: dy } : { ...v, x: v.x + dx, y: v.y + dy }));
    },
    [fitScale],
  );
  const onPointerUp = useCallback(() => {
    drag.current = null;
  }, []);

  return {
    view: shown,
    fit: () => setView({ mode: 'fit', scale: 1, x: 0, y: 0 }),
    actualSize: () => setView({ mode: 'free', scale: 1, x: 0, y: 0 }),
    zoomIn: () => zoomAt(STEP),
    zoomOut: () => zoomAt(1 / STEP),
    handlers: { onWheel, onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp },
  };
}
