/** The start images a person picked or dropped, checked before anything is sent. */
export interface StartImages {
  files(): readonly File[];
  /** Small JPEG data URLs of the picked images, for the gallery (kept across reloads). */
  thumbnails(): Promise<string[]>;
}

/** The page's parts the picker drives. */
export interface StartImageParts {
  input: HTMLInputElement;
  drop: HTMLElement;
  list: HTMLUListElement;
  clear: HTMLButtonElement;
  /** Told when the images change (the model menu follows), or why they were refused. */
  onChange: (count: number) => void;
  onRefused: (message: string) => void;
}

const TYPES = ['image/png', 'image/jpeg', 'image/webp'];
/** The gateway's own limits: 4 images (FLUX.2), 25 MB a request. */
export const MAX_START_IMAGES = 4;
const MAX_BYTES = 20 * 1024 * 1024;

/** Why these files can't be start images, or undefined. */
export function startImagesProblem(files: readonly File[]): string | undefined {
  if (files.length > MAX_START_IMAGES) return `At most ${MAX_START_IMAGES} start images (FLUX.2); ${files.length} were chosen.`;
  const wrong = files.find((file) => !TYPES.includes(file.type));
  if (wrong) return `${wrong.name} is not a PNG, JPEG or WebP image.`;
  const big = files.find((file) => file.size > MAX_BYTES);
  if (big) return `${big.name} is larger than 20 MB.`;
  return undefined;
}

async function thumbnail(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 160 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL('image/jpeg', 0.8);
}

/**
 * Wires the start image picker: a file input and a drop zone, thumbnails of what was chosen, a
 * button to remove them. A wrong file (not PNG, JPEG or WebP, too big, too many) is refused
 * with a message, and the previous choice stays.
 */
export function startImagePicker(parts: StartImageParts): StartImages {
  let chosen: File[] = [];
  const urls: string[] = [];
  const show = (): void => {
    for (const url of urls.splice(0)) URL.revokeObjectURL(url);
    parts.list.replaceChildren(
      ...chosen.map((file, index) => {
        const item = document.createElement('li');
        const image = document.createElement('img');
        const url = URL.createObjectURL(file);
        urls.push(url);
        image.src = url;
        image.alt = `Start image ${index + 1}: ${file.name}`;
        item.append(image);
        return item;
      }),
    );
    parts.clear.hidden = chosen.length === 0;
    parts.onChange(chosen.length);
  };
  const take = (files: readonly File[]): void => {
    const problem = startImagesProblem(files);
    if (problem) {
      parts.onRefused(problem);
      return;
    }
    chosen = [...files];
    show();
  };
  parts.input.addEventListener('change', () => {
    take([...(parts.input.files ?? [])]);
    parts.input.value = '';
  });
  parts.drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    parts.drop.classList.add('dragging');
  });
  parts.drop.addEventListener('dragleave', () => parts.drop.classList.remove('dragging'));
  parts.drop.addEventListener('drop', (event) => {
    event.preventDefault();
    parts.drop.classList.remove('dragging');
    take([...(event.dataTransfer?.files ?? [])]);
  });
  parts.clear.addEventListener('click', () => {
    chosen = [];
    show();
  });
  return { files: () => chosen, thumbnails: () => Promise.all(chosen.map(thumbnail)) };
}
