import type { Command } from '../command.js';

/**
 * Every sub-command, by name. Each lives in its own file beside this one;
 * add one import and one entry per command.
 */
export const commands: ReadonlyMap<string, Command> = new Map<string, Command>([
]);
