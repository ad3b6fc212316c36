import fs from 'node:fs';
import path from 'node:path';

/** A fresh temporary folder beside `target`, on the same file system so that a rename can swap it in. */
export function siblingTemp(target: string, tag: string): string {
  const parent = path.dirname(path.resolve(target));
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.${tag}-`));
  // mkdtemp makes the folder private (0700); what is swapped in must be readable like any folder (a web server).
  fs.chmodSync(dir, 0o777 & ~process.umask());
  return dir;
}

/** Replaces `target` with the completed folder `ready` by renames; the old folder is removed afterwards. */
export function swapInto(ready: string, target: string): void {
  const resolved = path.resolve(target);
  if (!fs.existsSync(resolved)) {
    fs.renameSync(ready, resolved);
    return;
  }
  const old = `${ready}.old`;
  fs.renameSync(resolved, old);
  try {
    fs.renameSync(ready, resolved);
  } catch (error) {
    fs.renameSync(old, resolved);
    throw error;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/** Writes a file through a temporary name and a rename, so readers never see half of it. */
export function writeFileAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
