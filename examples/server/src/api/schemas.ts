import { z } from 'zod';

/** An ISO 8601 instant. */
export const isoTime = z.string().describe('ISO 8601 instant (UTC)');

/** Unix ms → ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A platform account. */
export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['listener', 'artist', 'admin']),
  artistId: z.string().nullable(),
  displayName: z.string(),
  linkedWebUser: z.boolean(),
  createdAt: isoTime,
});

/** An API token's description. */
export const tokenInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: isoTime,
  lastUsedAt: isoTime.nullable(),
});

/** A newly created token: the only answer that holds the token itself. */
export const newTokenSchema = z.object({
  token: z.string().describe('Send as Authorization: Bearer <token>. Shown once.'),
  tokenInfo: tokenInfoSchema,
});

/** Path parameter `id`. */
export const idParams = z.object({ id: z.string().min(1).max(200) });

/** Paging query parameters. */
export const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** The page envelope of a listing. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
  });
}
