import { Argument, Option, type Command } from 'commander';
import { PRESET_NAMES } from '../network';
import { hostPortArg, intArg, portArg } from '../parse';

/** `<host:port>`: the peer a client command talks to. */
export function peerArgument(): Argument {
  return new Argument('<host:port>', 'the peer').argParser(hostPortArg);
}

/** `--host`: the address peers listen on. */
export function host(): Option {
  return new Option('--host <host>', 'address to listen on').default('127.0.0.1');
}

/** `--network`: a network file or a preset; `note` says what the command does without one. */
export function network(note?: string): Option {
  const presets = `${PRESET_NAMES.join(', ')} (default is an alias of devnet)`;
  return new Option('--network <file|preset>', `network file, or a preset: ${presets}${note === undefined ? '' : ` (${note})`}`);
}

/** `--no-mine`: no in-process miner. */
export function noMine(help: string): Option {
  return new Option('--no-mine', help);
}

/** `--workers`: miner threads. */
export function workers(help = 'miner worker threads (default: one per core)'): Option {
  return new Option('--workers <n>', help).argParser(intArg('--workers', 1, 256));
}

/** `--heartbeat`: the period of the peers' heartbeat (sync). */
export function heartbeat(): Option {
  return new Option('--heartbeat <ms>', 'heartbeat period in ms').argParser(intArg('--heartbeat', 10, 3_600_000));
}

/** `--http`: the explorer's port. */
export function http(help: string): Option {
  return new Option('--http <port>', help).argParser(portArg);
}

/** `--http-host`: the explorer's address, loopback unless asked (its API has no authentication). */
export function httpHost(): Option {
  return new Option('--http-host <host>', 'address the explorer listens on').default('127.0.0.1');
}

/** `--timeout`: how long a client waits for a peer's reply. */
export function timeout(help = 'how long to wait for the peer'): Option {
  return new Option('--timeout <ms>', help).argParser(intArg('--timeout', 1, 3_600_000)).default(10_000);
}

/** `--json`: the output as JSON; `help` says what is printed. */
export function json(help: string): Option {
  return new Option('--json', help);
}

/** `--json-logs`, `--verbose`, `--quiet` (LogFlags): the logging of commands that run peers or a miner. */
export function addLogging(command: Command): Command {
  return command
    .addOption(new Option('--json-logs', 'write logs as JSON lines'))
    .addOption(new Option('--verbose', 'log debug messages too').conflicts('quiet'))
    .addOption(new Option('--quiet', 'log warnings and errors only'));
}
