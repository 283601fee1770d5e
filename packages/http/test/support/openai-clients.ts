import sharp from 'sharp';

/** An error of either major of the official openai client: its HTTP status and OpenAI's error fields. */
export interface ClientError {
  status: number;
  param?: string | null;
  message: string;
}

/** A PNG of one colour, of this size. */
export const solidPng = async (width: number, height: number, background: string): Promise<Uint8Array> =>
  new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background } })
      .png()
      .toBuffer(),
  );

/** The error a call that must fail throws, recognised by its status (each client major has its own APIError class). */
export async function expectClientError(call: () => Promise<unknown>): Promise<ClientError> {
  try {
    await call();
  } catch (error) {
    if (typeof (error as ClientError).status === 'number') return error as ClientError;
    throw error;
  }
  throw new Error('the call was expected to fail');
}
