// Child side of NodeUtilityProcess: gives a plain Node process the
// `process.parentPort` an Electron utility process has (over Node's IPC
// channel, structured-clone serialization), then loads the entry module
// named in argv[2]. Like Electron's port, messages wait until a listener
// is attached.
import { pathToFileURL } from 'node:url';

type PortListener = (event: { data: unknown }) => void;

const listeners: PortListener[] = [];
const waiting: unknown[] = [];

process.on('message', (data: unknown) => {
  if (listeners.length === 0) waiting.push(data);
  for (const listener of listeners) listener({ data });
});

const parentPort = {
  on(_event: 'message', listener: PortListener) {
    listeners.push(listener);
    for (const data of waiting.splice(0)) setImmediate(() => listener({ data }));
    return parentPort;
  },
  postMessage(message: unknown) {
    process.send?.(message);
  },
};
Object.assign(process, { parentPort });

const entry = process.argv[2];
if (!entry) throw new Error('usage: node-utility-bootstrap ENTRY');
await import(pathToFileURL(entry).href);
