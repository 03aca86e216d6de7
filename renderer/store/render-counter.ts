import type { ConsoleStore } from './console-store';

/**
 * For tests of how often the console redraws: React renders once per task
 * that changed the store, however many updates that task made, so this
 * records the time of each such task.
 */
export function recordRenders(store: ConsoleStore): { times: number[]; mostInOneSecond(): number } {
  const times: number[] = [];
  let inTask = false;
  store.subscribe(() => {
    if (inTask) return;
    inTask = true;
    times.push(Date.now());
    queueMicrotask(() => (inTask = false));
  });
  return { times, mostInOneSecond: () => Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length)) };
}
