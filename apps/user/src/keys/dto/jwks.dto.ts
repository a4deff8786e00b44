import { ApiProperty } from '@nestjs/swagger';

export class JwkDto {
  @ApiProperty({ example: 'RSA' })
  kty: string;

  @ApiProperty({ example: '2025-06-a' })
  kid: string;

  @ApiProperty({ example: 'RS256' })
  alg: string;

  @ApiProperty({ example: 'sig' })
  use: string;

  @ApiProperty({ description: 'RSA modulus, base64url', example: 'sXchpQ...' })
  n: string;

  @ApiProperty({ description: 'RSA exponent, base64url', example: 'AQAB' })
  e: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto], description: 'Active key first, then the next and previous ones.' })
  keys: JwkDto[];
}
