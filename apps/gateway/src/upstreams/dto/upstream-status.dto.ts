import type { CircuitStateName } from '@dentalos/resilience';
import { ApiProperty } from '@nestjs/swagger';

const BREAKER_STATES: CircuitStateName[] = ['closed', 'open', 'half-open', 'isolated', 'disabled', 'metrics-only'];

export class UpstreamStatusDto {
  @ApiProperty({ example: 'enterprise' })
  name: string;

  @ApiProperty({ enum: BREAKER_STATES, example: 'closed', description: 'Circuit breaker state; open means requests are answered 503 at once' })
  breaker: CircuitStateName;

  @ApiProperty({ example: ['organizations'], description: 'First path segments after /api/v1 routed to this service' })
  segments: string[];
}

export class UpstreamsDto {
  @ApiProperty({ type: [UpstreamStatusDto] })
  upstreams: UpstreamStatusDto[];
}
