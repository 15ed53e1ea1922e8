export { buildProgram, main, EXIT } from './cli';
export { UsageError } from './errors';
export { generateKey, readKeyFile, writeKeyFile, type KeyFile } from './keys';
export { parseConfig, readConfig, type ConfigNeighbour } from './config-file';
export { loadNetwork } from './network';
export { createLogger, type LoggerOptions, type LogLevel } from './logger';
