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
  /** the framework's short name, as routes/index.ts lists them: `express`, `spring`, `phoenix`, `axum`, `grpc`, `next`, … */
  framework: string;
  /** served under a prefix set in another file (a router mounted elsewhere, a global prefix): `route` is a tail of the path */
  partial?: boolean;
  /** the handler is defined in another file; the index resolves it when that file is indexed */
  target?: HandlerTarget;
  /**
   * The handler is named (`h.GetArticle`, `ArticleController:show`, `articles::get`) but not defined in this file:
   * resolved through the workspace's definitions, near this file. `line` is the registration's until then.
   */
  handlerRef?: HandlerRef;
  /**
   * The router these routes are registered on is mounted under a prefix by code elsewhere (a Go function handed a
   * group, a Python router module, an exported Express router): the key RouteMount entries name it by.
   */
  mountKey?: string;
}

export interface HandlerRef {
  /** the function or method name as defined */
  name: string;
  /** the class, module or package it belongs to, when the registration says: `ArticleController`, `articles` */
  owner?: string;
}

/** Code that mounts a router (or a function that registers routes) under a path prefix. */
export interface RouteMount {
  /** the mounted router, as RouteDefinition.mountKey names it */
  key: string;
  /** normalised */
  prefix: string;
  /** the prefix is itself relative to the router named so (mounted elsewhere in turn) */
  parentKey?: string;
  /** the prefix is relative to one set elsewhere that cannot be named */
  partial?: boolean;
  /** workspace-relative, forward slashes */
  file: string;
  /** 1-based */
  line: number;
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
