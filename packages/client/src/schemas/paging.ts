import { z } from 'zod';

/** Builds the schema of an offset page of `item`. */
export function pagingSchema<T extends z.ZodType>(item: T) {
  return z.object({
    href: z.string().optional(),
    items: z.array(item),
    limit: z.number(),
    offset: z.number(),
    total: z.number(),
    next: z.string().nullable(),
    previous: z.string().nullable().optional(),
  });
}
/** An offset page (`offset`, `limit`, `total`, `next`). */
export interface SpotifyPaging<T> {
  href?: string | undefined;
  items: T[];
  limit: number;
  offset: number;
  total: number;
  next: string | null;
  previous?: string | null | undefined;
}

/** Builds the schema of a cursor page of `item`. */
export function cursorPagingSchema<T extends z.ZodType>(item: T) {
  return z.object({
    href: z.string().optional(),
    items: z.array(item),
    limit: z.number(),
    next: z.string().nullable(),
    total: z.number().optional(),
    cursors: z
      .object({
        after: z.string().nullable().optional(),
        before: z.string().nullable().optional(),
      })
      .nullable()
      .optional(),
  });
}
/** A cursor page (`cursors.after` / `cursors.before`, `next`). */
export interface SpotifyCursorPaging<T> {
  href?: string | undefined;
  items: T[];
  limit: number;
  next: string | null;
  total?: number | undefined;
  cursors?:
    | { after?: string | null | undefined; before?: string | null | undefined }
    | null
    | undefined;
}
