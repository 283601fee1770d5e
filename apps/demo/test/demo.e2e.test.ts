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
    await page.screenshot({ path: `${output}demo-desktop.png`, fullPage: true });

    await page.reload();
    await page.getByRole('img', { name: 'a red fox in fresh snow' }).waitFor({ state: 'visible' });
    expect(await page.locator('.card').count()).toBe(3);
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
