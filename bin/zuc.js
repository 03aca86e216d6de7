#!/usr/bin/env node
// Runs the TypeScript CLI directly from source through tsx, so `npx zuc`
// works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
