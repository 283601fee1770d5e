export { buildProgram, main } from './program.js';
export { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';
export { redactSecret } from './redact.js';
