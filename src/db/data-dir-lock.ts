import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/*
 * PGlite is PostgreSQL inside one process, with no server to arbitrate: two processes on one data
 * directory would each keep their own copy in memory and overwrite each other's files. So the
 * embedded engine takes this lock before opening a directory, and refuses to open it while a live
 * process holds it.
 *
 * The lock is a file naming its holder (pid, host). It is left behind only when a process is
 * killed outright; then the next start sees that the pid is no longer running and takes it over.
 * A holder on another host (a container sharing the volume) cannot be checked that way, so the
 * holder also touches the file every few seconds and a file nobody touched for a while is stale.
 */

export const LOCK_FILE = 'api.lock';
const HEARTBEAT_MS = 5_000;
const FOREIGN_STALE_MS = 30_000;

interface Holder {
  pid: number;
  host: string;
  token: string;
  since: string;
}

export class DataDirectoryLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}). ` +
        'The embedded database allows one process at a time: stop that process, or use PostgreSQL (DATABASE_URL) to run several.',
    );
    this.name = 'DataDirectoryLocked';
  }
}

export interface DataDirectoryLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function stale(path: string, holder: Holder | undefined): boolean {
  // A file that cannot be read was not written by this code, or was cut short by a crash.
  if (!holder || typeof holder.pid !== 'number') return true;
  if (holder.host === hostname()) return holder.pid === process.pid || !alive(holder.pid);
  try {
    return Date.now() - statSync(path).mtimeMs > FOREIGN_STALE_MS;
  } catch {
    return true;
  }
}

/**
 * Takes the lock on a data directory or throws DataDirectoryLocked. Released by release(), and
 * when the process exits in any way short of being killed outright.
 */
export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  const path = join(dataDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), token: randomUUID(), since: new Date().toISOString() };
  const draft = `${path}.${me.token}`;
  // Written whole under another name, then linked into place: the lock file is never half-written,
  // and link() fails if the lock exists, so two processes cannot both create it.
  writeFileSync(draft, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readHolder(path);
      if (holder && !stale(path, holder)) throw new DataDirectoryLocked(dataDir, holder);
      if (attempt >= 3)
        throw new Error(`Could not take over the stale lock ${path}; remove it if no process uses ${dataDir}`);
      // Move the stale file aside (atomic, so only one process can) and check it was the one judged.
      const aside = `${path}.stale.${me.token}`;
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      const moved = readHolder(aside);
      if (moved?.token !== holder?.token) {
        // Another process took over in between: put its lock back and look again.
        try {
          linkSync(aside, path);
        } catch {
          /* it will find out it lost */
        }
      }
      unlinkSync(aside);
    }
  } finally {
    unlinkSync(draft);
  }

  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      /* the directory went away; nothing left to guard */
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    process.off('exit', release);
    // Only our own lock: never remove one another process took over.
    if (readHolder(path)?.token === me.token) unlinkSync(path);
  };
  process.on('exit', release);
  return { release };
}
