import { Injectable } from '@nestjs/common';

/** The service's notion of "now": lockout windows, token lifetimes and expiry all read it, so tests can move it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
