import fs from 'node:fs';

/** Whether a process is running (a lock held by a process that is gone can be taken over). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockHolder = { pid: number } | { self: true };

/**
 * Takes the lock file `file` (holding this process's pid) and returns its release, or, when a live process
 * (or this one) holds it, calls `busy` — which throws, or returns a delay in ms after which to try again.
 */
export async function acquireLock(file: string, busy: (holder: LockHolder) => number): Promise<() => void> {
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid === process.pid) await new Promise((r) => setTimeout(r, busy({ self: true })));
      else if (pid && alive(pid)) await new Promise((r) => setTimeout(r, busy({ pid })));
      else fs.rmSync(file, { force: true });
    }
  }
}
