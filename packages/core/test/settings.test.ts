import { describe, expect, it } from 'vitest';
import { ImageGenerationError, loadSettings } from '../src/index.js';

const bases = { apiBaseUrl: 'https://api.cloudflare.com/client/v4', aiGatewayBaseUrl: 'https://gateway.ai.cloudflare.com/v1' };

describe('loadSettings', () => {
  it("reads the original workers' variables and says whether generation is enabled", () => {
    expect(loadSettings({})).toEqual({ values: {}, ...bases, outputDir: 'temp/images', isImageGenerationEnabled: false });
    const settings = loadSettings({
      FLUX_WORKER_URL: ' https://flux.example.workers.dev ',
      SDXL_WORKER_URL: 'http://127.0.0.1:8787/sdxl',
      SDXL_API_KEY: 'sdxl-key-0123',
      IMAGEGEN_OUTPUT_DIR: 'out',
    });
    expect(settings).toEqual({
      values: {
        FLUX_WORKER_URL: 'https://flux.example.workers.dev/',
        SDXL_WORKER_URL: 'http://127.0.0.1:8787/sdxl',
        SDXL_API_KEY: 'sdxl-key-0123',
      },
      fluxWorkerUrl: 'https://flux.example.workers.dev/',
      sdxlWorkerUrl: 'http://127.0.0.1:8787/sdxl',
      sdxlApiKey: 'sdxl-key-0123',
      ...bases,
      outputDir: 'out',
      isImageGenerationEnabled: true,
    });
  });

  it('SDXL alone needs its key to count as enabled; blanks count as unset', () => {
    expect(loadSettings({ SDXL_WORKER_URL: 'https://s.example' }).isImageGenerationEnabled).toBe(false);
    expect(loadSettings({ SDXL_WORKER_URL: 'https://s.example', SDXL_API_KEY: 'sdxl-key-0123' }).isImageGenerationEnabled).toBe(true);
    expect(loadSettings({ FLUX_WORKER_URL: '   ', IMAGEGEN_OUTPUT_DIR: '' })).toEqual({
      values: {},
      ...bases,
      outputDir: 'temp/images',
      isImageGenerationEnabled: false,
    });
  });

  it('reads the routes: generic worker, REST API, AI Gateway, with bases trimmed of their trailing slash', () => {
    const settings = loadSettings({
      IMAGEGEN_WORKER_URL: 'https://imagegen.example.workers.dev',
      IMAGEGEN_WORKER_KEY: 'worker-key-0123',
      CLOUDFLARE_ACCOUNT_ID: 'acc',
      CLOUDFLARE_API_TOKEN: 'cf-token-0123',
      CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9000/client/v4/',
      CLOUDFLARE_AI_GATEWAY: 'gw',
    });
    expect(settings).toMatchObject({
      workerUrl: 'https://imagegen.example.workers.dev/',
      workerKey: 'worker-key-0123',
      accountId: 'acc',
      apiToken: 'cf-token-0123',
      apiBaseUrl: 'http://127.0.0.1:9000/client/v4',
      aiGateway: 'gw',
      aiGatewayBaseUrl: 'https://gateway.ai.cloudflare.com/v1',
      isImageGenerationEnabled: true,
    });
    expect(loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'a', CLOUDFLARE_API_TOKEN: 'cf-token-0123' }).isImageGenerationEnabled).toBe(true);
  });

  it('refuses an account without a token (and a token without an account), naming the missing one and never the token', () => {
    expect(() => loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'a' })).toThrow(/CLOUDFLARE_API_TOKEN is not/);
    let message = '';
    try {
      loadSettings({ CLOUDFLARE_API_TOKEN: 'sekret-token' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/CLOUDFLARE_ACCOUNT_ID is not/);
    expect(message).not.toContain('sekret-token');
  });

  it.each(['ftp://flux.example', 'not a url', 'file:///etc/passwd', 'javascript:alert(1)'])('rejects %s as not_configured', (value) => {
    const attempt = () => loadSettings({ FLUX_WORKER_URL: value });
    expect(attempt).toThrow(ImageGenerationError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'not_configured' });
      expect((error as Error).message).toContain('FLUX_WORKER_URL');
    }
  });
});
