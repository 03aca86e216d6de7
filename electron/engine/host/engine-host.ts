import { EVENT_NAMES, METHOD_NAMES, type ConsoleService } from '../../shared/contract/service';
import { ZucError } from '../../shared/errors';
import { serveService } from '../../shared/rpc';
import { ShutdownRequestSchema } from './control-message';
import { parentPortLink, type ParentPortLike } from './parent-port';

/** What `createEngine` returns. */
export type HostedEngine = ConsoleService & { close(): Promise<void> };

/**
 * Runs the engine behind the parent port until main asks it to shut down.
 * If the engine cannot open (its database is corrupt, the data folder is
 * read-only) the host stays up and answers every call with that catalogued
 * error, so the window shows its code and remedy instead of a process that
 * dies and is restarted in a loop.
 */
export async function hostEngine(port: ParentPortLike, openEngine: () => Promise<HostedEngine>, exit: (code: number) => void): Promise<void> {
  let engine: HostedEngine | null = null;
  let service: ConsoleService;
  try {
    engine = await openEngine();
    service = engine;
  } catch (err) {
    service = unavailableService(ZucError.from(err));
  }
  let shuttingDown = false;
  let serving: { dispose(): void } | null = null;
  const link = parentPortLink(port, (data) => {
    if (!ShutdownRequestSchema.safeParse(data).success) return false;
    if (!shuttingDown) {
      shuttingDown = true;
      serving?.dispose();
      void (engine ? engine.close() : Promise.resolve()).then(
        () => exit(0),
        () => exit(1),
      );
    }
    return true;
  });
  serving = serveService(service, link);
}

/** A service whose every call fails with `error` and whose events never fire. */
export function unavailableService(error: ZucError): ConsoleService {
  const service: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) service[method] = () => Promise.reject(error);
  for (const name of EVENT_NAMES) service[name] = () => ({ dispose() {} });
  return service as ConsoleService;
}
