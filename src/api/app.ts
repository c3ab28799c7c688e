import { z } from 'zod';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiServices, MetricFamily } from './services.ts';
import { API_DEFAULTS, REDACT_PATHS, type ApiOptions } from './options.ts';
import { installAuth } from './auth.ts';
import { errorHandler, errorPayload } from './errors.ts';
import { registerCors } from './cors.ts';
import { installJsonParser } from './json-body.ts';
import { registerUi } from './ui.ts';
import type { RouteContext } from './context.ts';
import { deviceRoutes } from './routes/devices.ts';
import { seriesRoutes } from './routes/series.ts';
import { statsRoutes } from './routes/stats.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { oidRoutes } from './routes/oids.ts';
import { topologyRoutes } from './routes/topology.ts';
import { alertRoutes } from './routes/alerts.ts';
import { ruleRoutes } from './routes/rules.ts';
import { maintenanceRoutes } from './routes/maintenance.ts';
import { availabilityRoutes } from './routes/availability.ts';
import { systemRoutes } from './routes/system.ts';
import { cronRoutes } from './routes/cron.ts';
import { eventRoutes, type SseStats } from './routes/events.ts';

export interface ApiPluginOptions {
  services: ApiServices;
  options: ApiOptions;
}

/** The whole API and UI as a Fastify plugin (fastify-plugin: hooks and handlers apply to the host instance). */
export const apiPlugin = fp<ApiPluginOptions>(async (app, { services, options }) => {
  const rate = options.rateLimit ?? API_DEFAULTS.rateLimit;
  const reads = options.readRateLimit ?? API_DEFAULTS.readRateLimit;
  const ctx: RouteContext = {
    services,
    read: { access: 'read', rateLimit: { max: reads.max, timeWindow: reads.timeWindowMs } },
    write: { access: 'write', rateLimit: { max: rate.max, timeWindow: rate.timeWindowMs } },
    mibBodyLimit: options.mibBodyLimit ?? API_DEFAULTS.mibBodyLimit,
    heartbeatMs: options.heartbeatMs ?? API_DEFAULTS.heartbeatMs,
  };
  if (options.tokens.filter(Boolean).length === 0) {
    app.log.warn('api: no tokens configured: every write (and every read unless openReads) is refused');
  }

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  installJsonParser(app);
  app.setNotFoundHandler({}, (req, reply) =>
    reply.code(404).send(errorPayload(404, `no route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`)));

  const requests = new Map<string, number>();
  const sse: SseStats = { clients: 0, sent: 0, resets: 0 };
  app.addHook('onResponse', async (req, reply) => {
    const key = `${req.method} ${Math.floor(reply.statusCode / 100)}xx`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
  });
  const apiMetrics = (): MetricFamily[] => [
    {
      name: 'netpulse_api_requests_total', help: 'API requests by method and status class', type: 'counter',
      samples: [...requests].map(([k, value]) => { const [method, status] = k.split(' '); return { labels: { method, status }, value }; }),
    },
    { name: 'netpulse_api_sse_clients', help: 'connected live-update (SSE) clients', type: 'gauge', samples: [{ value: sse.clients }] },
    { name: 'netpulse_api_sse_events_total', help: 'events sent to SSE clients', type: 'counter', samples: [{ value: sse.sent }] },
    { name: 'netpulse_api_sse_resets_total', help: 'SSE resumes refused because the missed events are no longer held (the client re-fetches)', type: 'counter', samples: [{ value: sse.resets }] },
  ];

  // a route that takes no query still refuses unknown query fields
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if ((access === 'read' || access === 'write') && route.schema && !route.schema.querystring) {
      route.schema.querystring = z.strictObject({});
    }
  });

  await registerCors(app, options.cors);
  installAuth(app, options.tokens, options.openReads, options.authFailureLimit ?? API_DEFAULTS.authFailureLimit);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  await app.register(rateLimit, { global: false });

  if (options.docs !== false) {
    await app.register(swagger, {
      openapi: {
        info: { title: 'netpulse API', version: '1', description: 'Devices, SNMP version counts, OID dictionary, topology, traps, alerts, rules, series. Bearer tokens: every write, and reads unless openReads.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  await app.register(systemRoutes, { ...ctx, apiMetrics });
  await app.register(async (v1) => {
    for (const routes of [deviceRoutes, seriesRoutes, statsRoutes, credentialRoutes, oidRoutes, topologyRoutes, alertRoutes, ruleRoutes]) {
      await v1.register(routes, ctx);
    }
    await v1.register(availabilityRoutes, ctx);
    await v1.register(maintenanceRoutes, ctx);
    await v1.register(cronRoutes, ctx);
    await v1.register(eventRoutes, {
      ...ctx, sse, replay: options.sseReplay ?? API_DEFAULTS.sseReplay,
      limits: { maxClients: options.sseMaxClients ?? API_DEFAULTS.sseMaxClients, maxBufferedBytes: options.sseMaxBufferedBytes ?? API_DEFAULTS.sseMaxBufferedBytes },
    });
  }, { prefix: '/api/v1' });

  if (options.ui !== false) await registerUi(app);
}, { name: 'netpulse-api', fastify: '5.x' });

/** A Fastify instance with the API registered (not listening: `app.inject` in tests, `startApiServer` to serve). */
export async function buildApp(services: ApiServices, options: ApiOptions): Promise<FastifyInstance> {
  const logger = options.logger === undefined || options.logger === false
    ? false
    : { ...(typeof options.logger === 'object' ? options.logger : {}), redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  const app = Fastify({
    logger: logger as FastifyServerOptions['logger'],
    bodyLimit: options.bodyLimit ?? API_DEFAULTS.bodyLimit,
    routerOptions: { maxParamLength: 300 },
    forceCloseConnections: true,
    trustProxy: options.trustProxy ?? false,
  });
  await app.register(apiPlugin, { services, options });
  return app;
}
