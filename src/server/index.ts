/**
 * Tide's HTTP API: `createApp` (a Hono app, testable without a socket) and `startServer` (listens,
 * shuts down gracefully). Routes, their schemas and the OpenAPI document live beside them.
 */
export { type AppOptions, createApp, type TideApp } from './app.js';
export { type ApiKey, KeyRing, parseApiKeys, SCOPES, type Scope } from './auth.js';
export { ApiError, type ApiErrorCode, type ErrorBody, STATUS_OF } from './errors.js';
export { DEFAULT_LIMITS, type Limits } from './schemas.js';
export { type RunningServer, type ServerOptions, startServer } from './server.js';
