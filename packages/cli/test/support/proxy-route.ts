import { type ImageRoute, workerSettings } from '@imagegen/core';

/**
 * A route as a user would add one: one value in one file. It sends `GET <TEST_PROXY_URL>?prompt=`
 * with `TEST_PROXY_KEY` as a Bearer token, for every model that takes no input image.
 */
export const proxyRoute: ImageRoute = {
  name: 'test-proxy',
  label: 'the test proxy',
  settings: workerSettings('TEST_PROXY_URL', 'TEST_PROXY_KEY', 'a proxy in front of Workers AI'),
  errorFormat: 'worker',
  configured: (settings) => Boolean(settings.values.TEST_PROXY_URL),
  request: ({ settings, prompt, params }) =>
    params.image === undefined
      ? {
          url: `${settings.values.TEST_PROXY_URL}?prompt=${encodeURIComponent(prompt)}`,
          method: 'GET',
          headers: { authorization: `Bearer ${settings.values.TEST_PROXY_KEY ?? ''}` },
          route: 'test-proxy',
        }
      : undefined,
  readiness: (settings) => ({ url: settings.values.TEST_PROXY_URL }),
  probe: { model: 'flux' },
};
