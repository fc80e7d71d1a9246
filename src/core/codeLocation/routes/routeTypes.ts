/** What route scanning yields: route registrations, and the handler definitions they may point to. */

export interface RouteDefinition {
  /** upper-case; undefined = any method */
  method?: string;
  /** normalised (normalizeRoute) */
  route: string;
  /** workspace-relative, forward slashes: the handler's file when known, else the registration's */
  file: string;
  /** 1-based: the handler's definition when known, else the registration */
  line: number;
  /** as the framework names it: `OrdersController.show`, `views.detail`, `OrdersController#show` */
  handler?: string;
  /** express, fastify, koa, hono, nest, next, flask, fastapi, django, spring, aspnet, go, gin, echo, chi, fiber, gorilla, rails, laravel */
  framework: string;
  /** served under a prefix set in another file (a router mounted elsewhere, a global prefix): `route` is a tail of the path */
  partial?: boolean;
  /** the handler is defined in another file; the index resolves it when that file is indexed */
  target?: HandlerTarget;
}

export interface HandlerTarget {
  /** candidate files, workspace-relative, in order of preference */
  files: string[];
  /** the function, method or class defined there */
  symbol: string;
}

/** A definition a route's `target` can point to: a Django view, a Rails or Laravel controller action. */
export interface HandlerDefinition {
  file: string;
  /** 1-based */
  line: number;
  symbol: string;
}
