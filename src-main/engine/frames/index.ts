export { MAX_FRAMES, parseFrameSet, type FrameSetError, type FrameSetWarning, type ParseResult } from './parse';
export { formatFrameSet } from './format';
export { chunkFrames, isArithmetic } from './chunk';
export { describeFrameSet } from './describe';
export { medianFrameMs, medianMs } from './frame-time';
