/** Inline SVG icons: no icon font, no network, crisp at 13px UI size. */
const PATHS = {
  play: 'M5 3.5v9l7.5-4.5z',
  pause: 'M4.5 3.5h2.5v9H4.5zM9 3.5h2.5v9H9z',
  stop: 'M4 4h8v8H4z',
  retry: 'M12.5 8A4.5 4.5 0 1 1 11 4.6M11.5 2v3h-3',
  copy: 'M5.5 5.5h7v7h-7zM3.5 10.5v-7h7',
  trash: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 8.5h5.6l.7-8.5',
  up: 'M8 12.5V3.5M4.5 7L8 3.5 11.5 7',
  down: 'M8 3.5v9M4.5 9L8 12.5 11.5 9',
  plus: 'M8 3v10M3 8h10',
  search: 'M7 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zM10.3 10.3L13.5 13.5',
  folder: 'M2.5 4.5h4l1.5 1.5h5.5v6.5h-11z',
  file: 'M4 2.5h5l3 3v8H4zM9 2.5v3h3',
  close: 'M4 4l8 8M12 4l-8 8',
  back: 'M10 3.5L5.5 8l4.5 4.5',
  chevronDown: 'M4 6l4 4 4-4',
  chevronUp: 'M4 10l4-4 4 4',
  arrowDown: 'M8 3v9M4.5 8.5L8 12l3.5-3.5M3.5 13.5h9',
  probe: 'M3 8h2l1.5-3 3 6L11 8h2',
  grip: 'M6 4h.01M10 4h.01M6 8h.01M10 8h.01M6 12h.01M10 12h.01',
  warn: 'M8 2.5l6 10.5H2zM8 6.5v3M8 11.3v.2',
  refresh: 'M13 8a5 5 0 1 1-1.5-3.5M13 2.5v3h-3',
  edit: 'M3 13l.6-2.6L10.5 3.5l2 2-6.9 6.9zM9.5 4.5l2 2',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 14, title }: { name: IconName; size?: number; title?: string }) {
  return (
    <svg
      className={`icon icon-${name}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill={name === 'play' || name === 'pause' || name === 'stop' ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={name === 'grip' ? 2.4 : 1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      <path d={PATHS[name]} />
    </svg>
  );
}
