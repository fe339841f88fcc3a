import type { Cli } from '../context';

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean };

/** One CLI command: its words ("members import"), its options, its positionals, what it does. */
export interface Command {
  words: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Number of positionals: exact, or `min+` when the last one repeats. */
  positionals: { min: number; max: number };
  run(cli: Cli, args: { positionals: string[]; values: Record<string, unknown>; json: boolean }): Promise<number | void>;
}
