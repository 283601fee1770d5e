import { editImage, GatewayFailure, type GenerateRequest, generateImage } from './gateway-client.js';
import { type HistoryItem, loadHistory, saveHistory } from './history.js';
import { chosen, fillModelMenu, type ModelControls, selectedModel, showModelControls } from './model-controls.js';
import { startImagePicker } from './start-images.js';
import './styles.css';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const form = $<HTMLFormElement>('form');
const prompt = $<HTMLTextAreaElement>('prompt');
const model = $<HTMLSelectElement>('model');
const seed = $<HTMLInputElement>('seed');
const size = $<HTMLSelectElement>('size');
const button = $<HTMLButtonElement>('generate');
const status = $<HTMLParagraphElement>('status');
const errorBox = $<HTMLDivElement>('error');
const gallery = $<HTMLUListElement>('gallery');
const empty = $<HTMLParagraphElement>('empty');
const controls: ModelControls = {
  model,
  size,
  steps: $<HTMLInputElement>('steps'),
  guidance: $<HTMLInputElement>('guidance'),
  negativePrompt: $<HTMLInputElement>('negative'),
  strength: $<HTMLInputElement>('strength'),
  choice: $<HTMLSelectElement>('choice'),
};
fillModelMenu(model);
showModelControls(controls);
const start = startImagePicker({
  input: $<HTMLInputElement>('start'),
  drop: $<HTMLElement>('drop'),
  list: $<HTMLUListElement>('start-list'),
  clear: $<HTMLButtonElement>('start-clear'),
  onChange: (count) => {
    errorBox.hidden = true;
    fillModelMenu(model, count);
    showModelControls(controls, count);
  },
  onRefused: (message) => showError('That file was not taken', message),
});

let history = loadHistory();

function card(item: HistoryItem): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'card';
  const figure = document.createElement('figure');
  const img = document.createElement('img');
  img.src = item.url;
  img.alt = item.prompt;
  img.loading = 'lazy';
  img.addEventListener('error', () => li.classList.add('expired'));
  const caption = document.createElement('figcaption');
  const text = document.createElement('p');
  text.className = 'prompt-text';
  text.textContent = item.prompt;
  const meta = document.createElement('p');
  meta.className = 'meta';
  const attempts = item.attempts === undefined ? '' : ` · ${item.attempts} attempt${item.attempts === 1 ? '' : 's'}`;
  meta.textContent = `${item.model} · ${(item.ms / 1000).toFixed(1)} s${attempts}`;
  const link = document.createElement('a');
  link.href = item.url;
  link.download = '';
  link.textContent = 'Download';
  link.setAttribute('aria-label', `Download the image for: ${item.prompt}`);
  caption.append(text, meta, link);
  figure.append(img, caption);
  if (item.sources?.length) {
    // The start images beside the result: what the edit began from.
    const from = document.createElement('div');
    from.className = 'sources';
    from.append(
      ...item.sources.map((source, index) =>
        Object.assign(document.createElement('img'), { src: source, alt: `Started from image ${index + 1} for: ${item.prompt}` }),
      ),
    );
    figure.prepend(from);
  }
  li.append(figure);
  return li;
}

function render(): void {
  gallery.replaceChildren(...history.map(card));
  empty.hidden = history.length > 0;
}

function showError(title: string, message: string): void {
  errorBox.replaceChildren();
  const strong = document.createElement('strong');
  strong.textContent = title;
  const detail = document.createElement('span');
  detail.textContent = message;
  errorBox.append(strong, detail);
  errorBox.hidden = false;
}

function setBusy(busy: boolean): void {
  button.disabled = busy;
  button.textContent = busy ? 'Generating…' : 'Generate';
  form.setAttribute('aria-busy', String(busy));
}

async function onSubmit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (button.disabled) return;
  errorBox.hidden = true;
  const text = prompt.value;
  if (text.trim() === '') {
    showError('Write a prompt first', 'Describe the image you want, e.g. “a lighthouse at dusk”.');
    prompt.focus();
    return;
  }
  const request: GenerateRequest = { prompt: text, model: selectedModel(controls).alias };
  if (seed.value !== '') request.seed = Number(seed.value);
  if (!size.disabled && size.value) request.size = size.value;
  if (!controls.steps.disabled && controls.steps.value !== '') request.steps = Number(controls.steps.value);
  if (!controls.guidance.disabled && controls.guidance.value !== '') request.guidance = Number(controls.guidance.value);
  if (!controls.negativePrompt.disabled && controls.negativePrompt.value.trim() !== '')
    request.negative_prompt = controls.negativePrompt.value;
  Object.assign(request, chosen(controls.choice));
  const images = start.files();
  const strength = !controls.strength.disabled && controls.strength.value !== '' ? { strength: Number(controls.strength.value) } : {};
  setBusy(true);
  const started = performance.now();
  const tick = (): void =>
    void (status.textContent = `Generating with ${request.model}… ${((performance.now() - started) / 1000).toFixed(1)} s`);
  tick();
  const timer = setInterval(tick, 100);
  try {
    const image = images.length > 0 ? await editImage({ ...request, ...strength }, images) : await generateImage(request);
    const sources = images.length > 0 ? { sources: await start.thumbnails() } : {};
    history = [{ id: crypto.randomUUID(), prompt: text, ...image, at: Date.now(), ...sources }, ...history];
    saveHistory(history);
    render();
    status.textContent = `Done in ${(image.ms / 1000).toFixed(1)} s.`;
    gallery.querySelector<HTMLAnchorElement>('a')?.focus({ preventScroll: true });
  } catch (error) {
    status.textContent = '';
    if (error instanceof GatewayFailure) showError(error.title, error.message);
    else showError('Something went wrong', String(error));
  } finally {
    clearInterval(timer);
    setBusy(false);
  }
}

form.addEventListener('submit', (event) => void onSubmit(event));
prompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
model.addEventListener('change', () => showModelControls(controls));
$<HTMLButtonElement>('clear').addEventListener('click', () => {
  history = [];
  saveHistory(history);
  render();
  status.textContent = 'History cleared.';
});

fetch('/demo/info')
  .then((response) => response.json())
  .then((info: { backend?: string }) => {
    const backend = $<HTMLParagraphElement>('backend');
    backend.textContent =
      info.backend === 'local' ? 'Local preview workers (offline)' : 'Cloudflare (your workers, the Workers AI REST API or AI Gateway)';
    backend.hidden = false;
  })
  .catch(() => {});

render();
