export { createImageGenerator } from './create-image-generator.js';
export type { NodeImageGeneratorOptions } from './create-image-generator.js';
export { createUndiciFetch } from './undici-fetch.js';
export type { AgentOptions, UndiciTransport } from './undici-fetch.js';
export { NodeFileStore } from './file-store.js';
export { cleanTempFiles, tempFileName } from './temp-files.js';
export { createConsoleLogger, parseLogLevel } from './console-logger.js';
export type { LogLevel } from './console-logger.js';
export { ensureDir } from './ensure-dir.js';
