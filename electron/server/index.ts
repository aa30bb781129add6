export { startServer, HOST, API_BODY_LIMIT, type RunningServer, type ServerOptions } from './http-server';
export { CONTENT_SECURITY_POLICY, MEDIA_CONTENT_SECURITY_POLICY } from './security';
export { ApiNetwork } from './api-network';
