import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { catalogue } from '@imagegen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../server/demo-server.js';

const output = fileURLToPath(new URL('../test-output/', import.meta.url));
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  await mkdir(output, { recursive: true });
  demo = await startDemo({
    port: 0,
    env: {
      PATH: process.env.PATH,
      IMAGEGEN_OUTPUT_DIR: fileURLToPath(new URL('../test-output/images', import.meta.url)),
      IMAGEGEN_LOG_LEVEL: 'silent',
    },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function generate(page: Page, prompt: string): Promise<void> {
  await page.getByLabel('Prompt').fill(prompt);
  await page.getByLabel('Prompt').press('Enter');
}

describe('the demo page in Chromium', () => {
  it('a prompt becomes an image in the gallery, with its metadata; the history survives a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(demo.url);
    await expect.poll(() => page.locator('#backend').textContent()).toContain('Local preview');
    await generate(page, 'a red fox in fresh snow');
    const image = page.getByRole('img', { name: 'a red fox in fresh snow' });
    await image.waitFor({ state: 'visible' });
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.card .meta').first().textContent()).toMatch(/^flux · [\d.]+ s · 1 attempt$/);
    expect(await page.getByRole('status').textContent()).toMatch(/Done in/);
    expect(await page.getByRole('alert').isVisible()).toBe(false);

    // SDXL with a size and the button instead of Enter.
    await page.getByLabel('Model').selectOption('sdxl');
    await page.getByLabel(/Size/).selectOption('768x512');
    await page.getByLabel('Prompt').fill('a lighthouse at dusk');
    await page.getByRole('button', { name: 'Generate' }).click();
    const second = page.getByRole('img', { name: 'a lighthouse at dusk' });
    await second.waitFor({ state: 'visible' });
    await expect.poll(() => second.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(768);
    // The menu is the catalogue; each model shows its own controls: Phoenix takes a negative
    // prompt ("Leave out") and guidance from 2 to 10, Lucid Origin no negative prompt.
    expect(await page.locator('#model option').count()).toBe(catalogue.filter((model) => !model.imageInput?.required).length);
    await page.getByLabel('Model').selectOption('lucid-origin');
    expect(await page.getByLabel(/Leave out/).isVisible()).toBe(false);
    await page.getByLabel('Model').selectOption('phoenix');
    expect(await page.getByLabel(/Guidance/).getAttribute('max')).toBe('10');
    await page.getByLabel(/Size/).selectOption('512x768');
    await page.getByLabel(/Steps/).fill('12');
    await page.getByLabel(/Leave out/).fill('blur');
    await page.getByLabel('Prompt').fill('a phoenix over the sea');
    await page.getByRole('button', { name: 'Generate' }).click();
    const third = page.getByRole('img', { name: 'a phoenix over the sea' });
    await third.waitFor({ state: 'visible' });
    await expect.poll(() => third.evaluate((element) => (element as HTMLImageElement).naturalHeight)).toBe(768);
    expect(await page.locator('.card .meta').first().textContent()).toMatch(/^phoenix · /);
    // A partner model: its quality tiers as a menu, only the sizes it draws.
    await page.getByLabel('Model').selectOption('gpt-image-2');
    expect(await page.locator('#size option').allTextContents()).toEqual([
      'Default (1024 × 1024)',
      '1024 × 1024',
      '1536 × 1024',
      '1024 × 1536',
    ]);
    await page.getByLabel(/Quality/).selectOption('low');
    await page.getByLabel(/Size/).selectOption('1536x1024');
    await page.getByLabel('Prompt').fill('a fox in a quiet library');
    await page.getByRole('button', { name: 'Generate' }).click();
    const fourth = page.getByRole('img', { name: 'a fox in a quiet library' });
    await fourth.waitFor({ state: 'visible' });
    await expect.poll(() => fourth.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(1536);
    await page.getByLabel('Model').selectOption('imagen-4');
    expect(await page.locator('#choice option').allTextContents()).toEqual(["Model's default", '1:1', '3:4', '4:3', '9:16', '16:9']);
    await page.screenshot({ path: `${output}demo-desktop.png`, fullPage: true });

    await page.reload();
    await page.getByRole('img', { name: 'a red fox in fresh snow' }).waitFor({ state: 'visible' });
    expect(await page.locator('.card').count()).toBe(4);
    await context.close();
  });

  it('a start image, picked or dropped, is edited by an image-to-image model and shown beside the result', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(demo.url);
    // A red PNG drawn by the browser itself.
    const red = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(96, 96);
      const draw = canvas.getContext('2d')!;
      draw.fillStyle = 'rgb(230, 20, 20)';
      draw.fillRect(0, 0, 96, 96);
      return [...new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())];
    });
    const picture = (name: string) => ({ name, mimeType: 'image/png', buffer: Buffer.from(red) });
    await page.getByLabel('Start image').setInputFiles(picture('red.png'));
    await page.getByRole('img', { name: 'Start image 1: red.png' }).waitFor({ state: 'visible' });
    // Only the models that take a start image are offered; strength appears.
    expect(await page.getByLabel('Model').inputValue()).toBe('sd15-img2img');
    const offered = await page.locator('#model option').allTextContents();
    expect(offered).toEqual(catalogue.filter((model) => model.imageInput).map((model) => model.alias));
    await page.getByLabel(/Strength/).fill('0.1');
    await page.getByLabel('Prompt').fill('a red barn');
    await page.getByRole('button', { name: 'Generate' }).click();
    const result = page.getByRole('img', { name: 'a red barn', exact: true });
    await result.waitFor({ state: 'visible' });
    await expect.poll(() => result.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    // The preview starts from the picture: the result is mostly red.
    const [r, g, b] = await result.evaluate((element) => {
      const image = element as HTMLImageElement;
      const canvas = new OffscreenCanvas(image.naturalWidth, image.naturalHeight);
      const draw = canvas.getContext('2d')!;
      draw.drawImage(image, 0, 0);
      const pixels = draw.getImageData(0, 0, canvas.width, canvas.height).data;
      const sums = [0, 0, 0];
      for (let at = 0; at < pixels.length; at += 4) for (let channel = 0; channel < 3; channel++) sums[channel]! += pixels[at + channel]!;
      return sums.map((sum) => sum / (pixels.length / 4));
    });
    expect(r! - Math.max(g!, b!)).toBeGreaterThan(60);
    await page.getByRole('img', { name: 'Started from image 1 for: a red barn' }).waitFor({ state: 'visible' });
    expect(await page.locator('.card .meta').first().textContent()).toMatch(/^sd15-img2img · /);

    // Dropping a text file is refused, and the picture chosen before stays.
    await page.locator('#drop').evaluate((zone) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['just words'], 'notes.txt', { type: 'text/plain' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    expect(await page.getByRole('alert').textContent()).toContain('notes.txt is not a PNG, JPEG or WebP image');
    expect(await page.getByRole('img', { name: 'Start image 1: red.png' }).isVisible()).toBe(true);

    // Two pictures dropped: only FLUX.2 takes several; it runs with both.
    await page.locator('#drop').evaluate((zone, bytes) => {
      const transfer = new DataTransfer();
      for (const name of ['one.png', 'two.png']) transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, red);
    await page.getByRole('img', { name: 'Start image 2: two.png' }).waitFor({ state: 'visible' });
    expect(await page.locator('#model option').allTextContents()).toEqual([
      'flux-2-dev',
      'flux-2-klein-4b',
      'flux-2-klein-9b',
      'gpt-image-2',
      'flux-2-pro-preview',
    ]);
    await page.getByLabel('Prompt').fill('two of them');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByRole('img', { name: 'Started from image 2 for: two of them' }).waitFor({ state: 'visible' });
    await page.screenshot({ path: `${output}demo-edit.png`, fullPage: true });

    // Removing them brings back the text-to-image menu (FLUX.2 stays chosen: it draws from a prompt alone too).
    await page.getByRole('button', { name: 'Remove the start images' }).click();
    expect(await page.getByLabel('Model').inputValue()).toBe('flux-2-dev');
    expect(await page.locator('#model option').allTextContents()).not.toContain('sd15-img2img');
    expect(await page.getByLabel(/Strength/).isVisible()).toBe(false);
    await context.close();
  });

  it("a prompt the worker rejects shows the gateway's error text", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(demo.url);
    await generate(page, 'x'.repeat(2100));
    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('The prompt was not accepted');
    expect(await alert.textContent()).toContain('2100 characters long, the limit is 2048');
    await page.getByLabel('Prompt').fill('a small boat, mobile view');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByRole('img', { name: 'a small boat, mobile view' }).waitFor({ state: 'visible' });
    expect(await alert.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${output}demo-mobile.png`, fullPage: true });
    await context.close();
  });
});
