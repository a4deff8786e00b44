import { ApiProperty } from '@nestjs/swagger';

export class UpstreamStatusDto {
  @ApiProperty({ example: 'enterprise' })
  name: string;

  @ApiProperty({ enum: ['closed', 'open', 'half-open'], example: 'closed', description: 'Circuit breaker state; open means requests are answered 503 at once' })
  breaker: 'closed' | 'open' | 'half-open';

  @ApiProperty({ example: ['organizations'], description: 'First path segments after /api/v1 routed to this service' })
  segments: string[];
}

export class UpstreamsDto {
  @ApiProperty({ type: [UpstreamStatusDto] })
  upstreams: UpstreamStatusDto[];
}
