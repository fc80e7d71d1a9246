/**
 * HTTP route registrations found in source text, and an index from a server span's `http.route` (+ method) to
 * them. Scanning is regex-level over text whose comments are blanked, per framework: Express/Fastify/Koa/Hono,
 * Nest, Next.js, Flask, FastAPI, Django, Spring, ASP.NET, Go net/http/gin/echo/chi/gorilla, Rails, Laravel.
 * Prefixes compose only within one file; a router mounted elsewhere gives a `partial` route (a tail of the
 * served path). Django, Rails and Laravel handlers live in other files and are resolved by the index.
 */
export type { HandlerDefinition, HandlerRef, HandlerTarget, RouteDefinition, RouteMount } from './routeTypes';
export { normalizeRoute } from './normalizeRoute';
export { RouteIndex, type RouteCandidate, type RouteTier } from './routeIndex';
export { extractHandlers, extractRoutes } from './extractRoutes';
