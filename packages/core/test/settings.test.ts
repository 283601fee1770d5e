import { describe, expect, it } from 'vitest';
import { ImageGenerationError, loadSettings } from '../src/index.js';

describe('loadSettings', () => {
  it('reads the four variables and says whether generation is enabled', () => {
    expect(loadSettings({})).toEqual({ outputDir: 'temp/images', isImageGenerationEnabled: false });
    const settings = loadSettings({
      FLUX_WORKER_URL: ' https://flux.example.workers.dev ',
      SDXL_WORKER_URL: 'http://127.0.0.1:8787/sdxl',
      SDXL_API_KEY: 'k',
      IMAGEGEN_OUTPUT_DIR: 'out',
    });
    expect(settings).toEqual({
      fluxWorkerUrl: 'https://flux.example.workers.dev/',
      sdxlWorkerUrl: 'http://127.0.0.1:8787/sdxl',
      sdxlApiKey: 'k',
      outputDir: 'out',
      isImageGenerationEnabled: true,
    });
  });

  it('SDXL alone needs its key to count as enabled; blanks count as unset', () => {
    expect(loadSettings({ SDXL_WORKER_URL: 'https://s.example' }).isImageGenerationEnabled).toBe(false);
    expect(loadSettings({ SDXL_WORKER_URL: 'https://s.example', SDXL_API_KEY: 'k' }).isImageGenerationEnabled).toBe(true);
    expect(loadSettings({ FLUX_WORKER_URL: '   ', IMAGEGEN_OUTPUT_DIR: '' })).toEqual({
      outputDir: 'temp/images',
      isImageGenerationEnabled: false,
    });
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
