import type { SpoolBridge } from '../../../src-preload/contract';
import { wrapPreloadBridge } from './electron-bridge';
import { takeTokenFromLocation } from './token';
import type { UiBridge } from './types';
import { createWsBridge } from './ws-bridge';

export type { ConnectionInfo, ConnectionState, UiBridge } from './types';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    spool?: SpoolBridge;
    /** Electron preload extra: the real path of a dropped File (webUtils.getPathForFile). */
    spoolFiles?: { pathForFile(file: File): string | null };
  }
}

let bridge: UiBridge | null = null;

/** One bridge per page: the preload's when Electron gave one, otherwise the network client. */
export function getBridge(): UiBridge {
  if (bridge) return bridge;
  bridge = window.spool
    ? wrapPreloadBridge(window.spool)
    : createWsBridge({ origin: window.location.origin, token: takeTokenFromLocation() });
  return bridge;
}

/** Tests and storybook-like harnesses swap the transport. */
export function setBridge(next: UiBridge): void {
  bridge = next;
}
