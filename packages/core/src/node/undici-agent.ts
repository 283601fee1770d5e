import type { Agent } from 'undici';
import { undici } from './undici-module.js';

/** The Node transport's limits; defaults are imagegen's (connect 30 s, headers and body 120 s, 10 connections). */
export interface AgentOptions {
  /** @default 30000 */
  connectTimeoutMs?: number;
  /** @default 120000 */
  headersTimeoutMs?: number;
  /** @default 120000 */
  bodyTimeoutMs?: number;
  /** Connections per origin. @default 10 */
  connections?: number;
  /** How long an idle keep-alive socket is kept. @default 30000 */
  keepAliveTimeoutMs?: number;
}

/** An undici `Agent` with connect, headers and body timeouts and a keep-alive pool per origin. */
export function createAgent(options: AgentOptions = {}): Agent {
  const { Agent: UndiciAgent } = undici();
  return new UndiciAgent({
    connect: { timeout: options.connectTimeoutMs ?? 30_000 },
    headersTimeout: options.headersTimeoutMs ?? 120_000,
    bodyTimeout: options.bodyTimeoutMs ?? 120_000,
    connections: options.connections ?? 10,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
  });
}
