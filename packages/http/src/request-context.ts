import type { KeyEntry } from './budgets/key-entries.js';
import type { Logger } from 'pino';

/** The logging the gateway does: a pino logger fits, and so does any object with these methods. */
export type GatewayLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** What middleware leaves on the context for the routes. */
export type GatewayEnv = {
  Variables: {
    requestId: string;
    logger: GatewayLogger;
    /** Who the rate limit counts against: a gateway key's index (`key:0`), a keys file entry's name, or 'anonymous'. */
    client: string;
    /** The keys file's entry of the caller's key: its budget, models, rpm, admin. */
    keyEntry?: KeyEntry;
  };
};

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token, else undefined. */
export function acceptedRequestId(header: string | undefined): string | undefined {
  return header !== undefined && REQUEST_ID.test(header) ? header : undefined;
}

/** A prompt as logs show it: at most 80 characters. */
export function promptForLog(prompt: string): string {
  return prompt.length > 80 ? `${prompt.slice(0, 77)}...` : prompt;
}
