import type { Response } from 'express';
import { MediaProblem } from './media-problem.js';

/**
 * The part of the API's authenticated caller (`res.locals.apiUser`, set by the API's bearer
 * authentication) that media and billing read.
 */
export interface MediaCaller {
  /** The account id (also the listener's id in the catalog). */
  readonly id: string;
  readonly role: 'listener' | 'artist' | 'admin';
  /** The artist profile the account manages, else null. */
  readonly artistId: string | null;
}

/** The authenticated caller, or a 401 `UNAUTHENTICATED` problem. */
export function callerOf(res: Response): MediaCaller {
  const user = res.locals.apiUser as MediaCaller | null | undefined;
  if (user === null || user === undefined) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="spoti"');
    throw new MediaProblem('UNAUTHENTICATED', 'Send an API token: Authorization: Bearer <token>');
  }
  return user;
}

/** The caller when one authenticated, else null. */
export function optionalCallerOf(res: Response): MediaCaller | null {
  return (res.locals.apiUser as MediaCaller | null | undefined) ?? null;
}

/** Whether `caller` manages what `ownerArtistId` owns (its artist, or an admin). */
export function manages(caller: MediaCaller | null, ownerArtistId: string | null): boolean {
  if (caller === null) return false;
  if (caller.role === 'admin') return true;
  return ownerArtistId !== null && caller.artistId === ownerArtistId;
}
