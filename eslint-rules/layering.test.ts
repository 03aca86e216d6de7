import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import layering from './layering';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = path.resolve(import.meta.dirname, '..');
const at = (file: string) => path.join(root, file);

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
});

const layer = (file: string, code: string) => ({ filename: at(file), code, errors: [{ messageId: 'layer' }] });
const pkg = (file: string, code: string) => ({ filename: at(file), code, errors: [{ messageId: 'pkg' }] });
const ok = (file: string, code: string) => ({ filename: at(file), code });

tester.run('zuc/layering', layering, {
  valid: [
    ok('electron/shared/contract/job.ts', "import { z } from 'zod'; import { E } from '../errors';"),
    ok('native/transport/tcp-link.ts', "import net from 'node:net'; import { E } from '../../electron/shared/errors';"),
    ok('electron/engine/service/engine.ts', "import Database from 'better-sqlite3'; import type { TerminalConnector } from '../../../native/terminal/terminal-driver'; import { E } from '../../shared/errors';"),
    ok('electron/engine/host/utility-entry.ts', "import { createEngine } from '../index'; import { hostEngine } from './engine-host';"),
    ok('electron/main/index.ts', "import { app } from 'electron'; import { createEngine } from '../engine'; import { serviceSchema } from '../shared/contract/service';"),
    ok('electron/main/engine-process.ts', "import { SHUTDOWN_REQUEST } from '../engine/host/control-message'; import { connectAgent } from '../../native/protocol/agent';"),
    ok('electron/preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron'; import { createServiceClient } from '../shared/rpc';"),
    ok('electron/station/station.ts', "import { WebSocketServer } from 'ws'; import { createEngine } from '../engine'; import http from 'node:http';"),
    ok('electron/cli/commands/flash.ts', "import { createEngine } from '../../engine'; import { openLink } from '../../../native/transport';"),
    ok('renderer/service/connect-console.ts', "import { createServiceClient } from '../../electron/shared/rpc'; import { create } from 'zustand';"),
    ok('renderer/ui/App.test.tsx', "import { describe, it } from 'vitest'; import { render } from './App';"),
    ok('electron/shared/errors/catalog.test.ts', "import { describe, it } from 'vitest';"),
    ok('scripts/build-desktop.ts', "import { BUNDLE_FILES } from '../electron/main/bundle-layout'; import { build } from 'vite';"),
    ok('e2e/flash.e2e.ts', "import { startStation } from '../electron/station/station'; import { createEngine } from '../electron/engine';"),
  ],
  invalid: [
    layer('electron/shared/contract/job.ts', "import { createEngine } from '../../engine';"),
    layer('electron/shared/rpc/client.ts', "export * from '../../../native/transport';"),
    pkg('electron/shared/rpc/client.ts', "import fs from 'node:fs';"),
    pkg('electron/shared/contract/device.ts', "import { create } from 'zustand';"),
    layer('native/transport/tcp-link.ts', "import { createEngine } from '../../electron/engine';"),
    pkg('native/transport/usb-link.ts', "import { app } from 'electron';"),
    layer('electron/engine/service/engine.ts', "import { startDesktopApp } from '../../main/desktop-app';"),
    layer('electron/engine/service/engine.ts', "import { startStation } from '../../station/station';"),
    pkg('electron/engine/host/utility-entry.ts', "import { utilityProcess } from 'electron';"),
    layer('electron/main/desktop-app.ts', "import { consoleApi } from '../preload/console-bridge';"),
    layer('electron/main/desktop-app.ts', "import { App } from '../../renderer/ui/App';"),
    layer('electron/preload/index.ts', "import { createEngine } from '../engine';"),
    layer('electron/preload/index.ts', "import { openLink } from '../../native/transport';"),
    pkg('electron/preload/index.ts', "import fs from 'node:fs';"),
    pkg('electron/preload/index.ts', "import { spawn } from 'child_process';"),
    layer('electron/station/station.ts', "import { routeContract } from '../main/ipc-router';"),
    pkg('electron/station/station.ts', "import { BrowserWindow } from 'electron';"),
    layer('electron/cli/commands/flash.ts', "import { startStation } from '../../station/station';"),
    pkg('electron/cli/run-cli.ts', "import { dialog } from 'electron';"),
    layer('renderer/ui/App.tsx', "import { createEngine } from '../../electron/engine';"),
    layer('renderer/store/devices.ts', "const m = await import('../../native/transport');"),
    layer('renderer/ui/App.tsx', "import type { EngineProcess } from '../../electron/main/engine-process';"),
    pkg('renderer/ui/App.tsx', "import { ipcRenderer } from 'electron';"),
    pkg('renderer/service/files.ts', "import path from 'node:path';"),
    pkg('electron/shared/contract/job.ts', "import { vi } from 'vitest';"),
  ],
});
