import { ApiProperty } from '@nestjs/swagger';

export class TokenPairDto {
  @ApiProperty({ description: 'RS256 JWT, at most 10 minutes', example: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI3ZDFmIn0.c2ln' })
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 600 })
  expiresIn: number;

  @ApiProperty({ description: 'Opaque, single use: each refresh returns a new one', example: '3f0c9a52-6a8e-4f0b-9d59-2f8f3c1c7b10.pV8c0wWmQ3b3e0Zq1bGm3m8y2oQm9yZr7v4k1p0s6xA' })
  refreshToken: string;

  @ApiProperty({ example: '3f0c9a52-6a8e-4f0b-9d59-2f8f3c1c7b10' })
  sessionId: string;
}

export class AcceptedDto {
  @ApiProperty({ example: 'accepted' })
  status: 'accepted';

  @ApiProperty({ example: 'If an account exists for this email, a reset link is on its way.' })
  detail: string;
}
