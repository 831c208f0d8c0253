/**
 * What every `pt` subcommand shares: its input and output, the failure it throws
 * with a message (and JSON) for people, and the runner that turns failures into
 * exit codes. Its own module so subcommands need not import pt.ts, which imports them.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/env';
import { PolicyLoadError } from '../config/policies';

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class CliFailure extends Error {
  constructor(message: string, readonly json?: unknown, readonly exitCode = 1) {
    super(message);
  }
}

/** Parses argv with `program`, turning every failure into a message and an exit code. */
export async function runProgram(program: Command, argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliFailure) {
      if (json && err.json !== undefined) io.out(JSON.stringify(err.json, null, 2) + '\n');
      else io.err(err.message + '\n');
      return err.exitCode;
    }
    const message = err instanceof ConfigError || err instanceof PolicyLoadError ? err.message : `pt: ${err instanceof Error ? err.message : String(err)}`;
    if (json) io.out(JSON.stringify({ error: message }, null, 2) + '\n');
    else io.err(message + '\n');
    return 1;
  }
}
