import type { Command } from '../command';
import { errorsCommand } from './errors';

/** Every `zuc` sub-command, in the order `zuc --help` lists them. */
export const COMMANDS: Command[] = [errorsCommand];
