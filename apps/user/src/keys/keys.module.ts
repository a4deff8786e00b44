import { Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AccessTokens } from './access-tokens.service.js';
import { JwksController } from './jwks.controller.js';
import { SigningKeys } from './signing-keys.service.js';

/** Global so libs/auth's dynamic module can inject the local key set. */
@Global()
@Module({
  controllers: [JwksController],
  providers: [SigningKeys, AccessTokens, Clock],
  exports: [SigningKeys, AccessTokens, Clock],
})
export class KeysModule {}
