/** The per-job flags that `submit` and `watch` (a folder's defaults) both take: one list, one spelling. */
export const JOB_FLAGS = {
  frames: { type: 'string' },
  chunk: { type: 'string' },
  output: { type: 'string' },
  dcc: { type: 'string' },
  template: { type: 'string' },
  priority: { type: 'string' },
  retries: { type: 'string' },
  device: { type: 'string' },
  threads: { type: 'string' },
  camera: { type: 'string' },
  layer: { type: 'string' },
  samples: { type: 'string' },
  format: { type: 'string' },
  'stall-timeout': { type: 'string' },
  timeout: { type: 'string' },
  executable: { type: 'string' },
} as const;
