import { Injectable } from '@nestjs/common';

/**
 * The single seam every provider call passes through (SMTP, Twilio, FCM). Circuit breaking per
 * provider plugs in here, so the workers and senders stay unaware of it.
 */
@Injectable()
export class ProviderCalls {
  call<T>(_provider: string, send: () => Promise<T>): Promise<T> {
    return send();
  }
}
