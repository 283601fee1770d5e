import type { AiBinding } from '../src/index.js';

/** An AI binding that fails with `message`, as Workers AI does when out of capacity or broken. */
export const failingAi = (message: string): AiBinding => ({
  run: async () => {
    const error = new Error(message);
    error.stack = `Error: ${message}\n    at secretInternal (/srv/ai/internal.js:1:1)`;
    throw error;
  },
});

/** An AI binding that records its calls and answers like Workers AI. */
export function recordingAi(answer: unknown) {
  const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];
  const ai: AiBinding = {
    run: async (model, inputs) => {
      calls.push({ model, inputs });
      return answer;
    },
  };
  return { ai, calls };
}

export const PNG_1x1 = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC'),
  (char) => char.charCodeAt(0),
);
