import { createEngine, type Engine } from '../engine';
import { hostEngine } from '../engine/host/engine-host';
import type { ParentPortLike } from '../engine/host/parent-port';

/**
 * For tests: what the utility-process entry does, run in this process for a
 * FakeUtilityProcess — the real engine host around the real engine on
 * `dataDir`. `engines` collects every engine started, to close after a test
 * (a crashed fake child leaves its engine open, as a killed process would
 * leave its files).
 */
export function bootRealEngine(dataDir: string, engines: Engine[]): (port: ParentPortLike, exit: (code: number) => void) => void {
  return (port, exit) =>
    void hostEngine(
      port,
      async () => {
        const engine = createEngine({ dataDir });
        engines.push(engine);
        return engine;
      },
      exit,
    );
}
