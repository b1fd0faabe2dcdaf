/** Diversity of a distribution (counts or weights per category). */
export interface Diversity {
  /** Number of categories with weight > 0 (Hill number of order 0). */
  richness: number;
  /** Shannon entropy in nats. */
  shannon: number;
  /** Shannon entropy / ln(richness): 1 = perfectly even, 0 = one category (0 when richness <= 1). */
  evenness: number;
  /** Hill number of order 1: exp(shannon), the "effective number" of categories. */
  hill1: number;
  /** Hill number of order 2: 1 / sum(p^2) (inverse Simpson). */
  hill2: number;
  /** Gini coefficient of the weights: 0 = all equal, -> 1 = concentrated on one. */
  gini: number;
}

/**
 * Shannon entropy, Hill numbers and Gini coefficient of a list of non-negative weights.
 *
 * @example
 * ```ts
 * diversityOf([10, 10, 10, 10]).hill1; // 4
 * diversityOf([97, 1, 1, 1]).gini;    // 0.72
 * ```
 */
export function diversityOf(weights: ArrayLike<number>): Diversity {
  let total = 0;
  let richness = 0;
  const values: number[] = [];
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (w > 0) {
      total += w;
      richness++;
      values.push(w);
    }
  }
  if (total === 0) return { richness: 0, shannon: 0, evenness: 0, hill1: 0, hill2: 0, gini: 0 };
  let shannon = 0;
  let simpson = 0;
  for (const w of values) {
    const p = w / total;
    shannon -= p * Math.log(p);
    simpson += p * p;
  }
  values.sort((a, b) => a - b);
  let weighted = 0;
  for (let i = 0; i < values.length; i++) weighted += (i + 1) * (values[i] as number);
  const n = values.length;
  const gini = n <= 1 ? 0 : (2 * weighted) / (n * total) - (n + 1) / n;
  return {
    richness,
    shannon,
    evenness: richness <= 1 ? 0 : shannon / Math.log(richness),
    hill1: Math.exp(shannon),
    hill2: 1 / simpson,
    gini: Math.max(0, gini),
  };
}

/** Normalised entropy of `weights` over `categories` possible categories: 0 = one, 1 = uniform. */
export function normalisedEntropy(weights: ArrayLike<number>, categories: number): number {
  if (categories <= 1) return 0;
  const d = diversityOf(weights);
  return d.richness === 0 ? 0 : d.shannon / Math.log(categories);
}
