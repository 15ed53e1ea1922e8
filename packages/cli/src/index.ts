export { buildProgram, main, EXIT } from './cli';
export { generateKey, readKeyFile, writeKeyFile, type KeyFile } from './keyfile';
