/**
 * HTTP route registrations found in source text, and an index from a server span's `http.route` (+ method) to
 * them. Scanning is regex-level over text whose comments are blanked, per framework: Express/Fastify/Koa/Hono,
 * Nest, Flask, FastAPI, Starlette, Django, Spring, JAX-RS, Micronaut, Ktor, ASP.NET, Go net/http/gin/echo/chi/
 * fiber/gorilla, Rails, Sinatra, Grape, Laravel, Slim, Symfony, Phoenix, Plug.Router, axum, actix-web, rocket,
 * warp, poem, oat++, Crow, Drogon, cpp-httplib, Pistache; and the file-system routers of Next.js, SvelteKit and
 * Nuxt. Prefixes compose within a file; a router mounted by code in another file gives a `partial` route with a
 * mount key and the code mounting it a RouteMount, which the index composes across files (Go groups handed to
 * functions, Python routers and blueprints, exported Express routers). Handlers named but defined elsewhere (controller actions,
 * `module::handler`) carry a target or a reference the index and the locator resolve.
 */
export type { HandlerDefinition, HandlerRef, HandlerTarget, RouteDefinition, RouteMount } from './routeTypes';
export { normalizeRoute } from './normalizeRoute';
export { RouteIndex, type RouteCandidate, type RouteTier } from './routeIndex';
export { extractHandlers, extractRoutes } from './extractRoutes';
