import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** What a device session remembers about the device that opened it. */
export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

interface DeviceRequest {
  headers: Record<string, string | string[] | undefined>;
  ip: string;
}

/** The calling device (user agent, client ip as Fastify resolved it through TRUSTED_PROXIES). */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<DeviceRequest>();
  const agent = request.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent.slice(0, 512) : undefined, ip: request.ip };
});
