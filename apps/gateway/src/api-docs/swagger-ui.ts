import type { FastifyInstance, FastifyReply } from 'fastify';

const UI_PATHS = new Set(['/api-docs', '/api-docs/', '/api-docs/index.html']);
const INIT_PATH = '/api-docs/swagger-ui-init.js';

function page(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>DentalOS API</title>
<link rel="stylesheet" type="text/css" href="/api-docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/api-docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api-docs/swagger-ui-bundle.js"></script>
<script src="/api-docs/swagger-ui-standalone-preset.js"></script>
<script src="/api-docs/swagger-ui-init.js"></script>
</body>
</html>
`;
}

function initScript(services: string[]): string {
  const urls = [{ url: '/api-docs-json', name: 'gateway' }, ...services.map((name) => ({ url: `/api-docs/specs/${name}`, name }))];
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: ${JSON.stringify(urls)},
    'urls.primaryName': ${JSON.stringify(services[0] ?? 'gateway')},
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout'
  });
};
`;
}

/**
 * The platform serves a one-document Swagger UI at /api-docs; the gateway's page instead lists
 * every service's document (the explorer bar) beside its own. Swapping the handlers of those
 * routes as they are registered keeps the platform's assets, JSON and YAML routes untouched.
 */
export function installAggregatedSwaggerUi(fastify: FastifyInstance, services: string[]): void {
  const html = page();
  const script = initScript(services);
  fastify.addHook('onRoute', (route) => {
    if (UI_PATHS.has(route.url)) route.handler = (_request, reply: FastifyReply) => reply.type('text/html').send(html);
    else if (route.url === INIT_PATH) route.handler = (_request, reply: FastifyReply) => reply.type('application/javascript').send(script);
  });
}
