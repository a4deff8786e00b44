import { Injectable } from '@nestjs/common';

/** Flipped on SIGTERM; readiness reads it so load balancers stop sending traffic at once. */
@Injectable()
export class ShutdownState {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  beginDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
