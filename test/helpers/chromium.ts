/** Debian's chromium (apt package `chromium`), never a browser download. */
export const CHROMIUM = '/usr/bin/chromium';

/** How every test (and bench/event-loop.ts) starts it: headless, with nothing reaching the network by itself. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
