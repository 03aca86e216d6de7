import type { Command } from '../command';
import { devicesCommand } from './devices';
import { errorsCommand } from './errors';
import { keygenCommand } from './keygen';
import { packCommand } from './pack';
import { verifyCommand } from './verify';
import { inspectCommand } from './inspect';
import { deltaCommand } from './delta';
import { flashCommand } from './flash';
import { historyCommand } from './history';
import { simCommand } from './sim';
import { diffCommand } from './diff';
import { patchCommand } from './patch';
import { libraryCommand } from './library';
import { updateCommand } from './update';

/** Every `zuc` sub-command, in the order `zuc --help` lists them. */
export const COMMANDS: Command[] = [devicesCommand, flashCommand, historyCommand, errorsCommand, keygenCommand, packCommand, deltaCommand, verifyCommand, inspectCommand, simCommand, diffCommand, patchCommand, libraryCommand, updateCommand];
