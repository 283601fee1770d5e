import { register } from 'node:module';

register(new URL('./import-log-hooks.mjs', import.meta.url));
