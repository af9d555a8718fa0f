/**
 * Live-editable dashboards: watches the directory and, a moment after a file stops changing
 * (editors write in bursts: truncate, write, rename), re-validates it. A valid edit replaces the
 * definition and is reported to `onChange` (the plugin pushes it to open screens); an invalid one
 * is logged with file and field and ignored — screens keep the last good definition.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Dashboard } from '../../shared/dashboard.js';
import {
  idOf,
  isDashboardFile,
  markIgnored,
  markValid,
  PLAYLISTS_FILE,
  readDashboard,
  readPlaylists,
  type DashboardSet,
} from './loader.js';
import { DashboardFileError } from './validate.js';

export interface WatchOptions {
  dir: string;
  set: DashboardSet;
  log: Logger;
  onChange: (dashboard: Dashboard) => void;
  debounceMs?: number;
}

export function watchDashboards(options: WatchOptions): () => void {
  const { dir, set, log } = options;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const reload = (name: string) => {
    timers.delete(name);
    try {
      if (name === PLAYLISTS_FILE) {
        set.playlists = readPlaylists(dir, new Set(set.dashboards.keys()));
        markValid(set, name);
        log.info({ file: name }, 'playlists reloaded');
        return;
      }
      const next = readDashboard(dir, name);
      markValid(set, name);
      if (JSON.stringify(next) === JSON.stringify(set.dashboards.get(next.id))) return;
      set.dashboards.set(next.id, next);
      log.info({ file: name, dashboard: next.id }, 'dashboard reloaded');
      options.onChange(next);
    } catch (error) {
      if (error instanceof DashboardFileError) {
        markIgnored(set, name, 'invalid', error);
        log.warn({ file: error.file, field: error.field, problem: error.problem }, 'dashboard edit ignored: invalid');
      } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        markIgnored(set, name, 'removed', { field: '', problem: 'file removed' });
        log.warn({ file: name }, 'dashboard file removed; screens keep the last good definition');
      } else log.error({ err: error, file: name }, 'dashboard reload failed');
    }
  };

  const watcher: FSWatcher = watch(dir, (_event, filename) => {
    const name = filename?.toString();
    if (!name || !(isDashboardFile(name) || name === PLAYLISTS_FILE) || name !== `${idOf(name)}.json`) return;
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => reload(name), options.debounceMs ?? 150),
    );
  });
  watcher.on('error', (error) => log.error({ err: error, dir }, 'dashboards watcher failed'));

  return () => {
    watcher.close();
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}
