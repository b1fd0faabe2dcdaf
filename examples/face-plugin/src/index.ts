/**
 * A festival theme for `@spoti/face`: the top genre family picks a festival accessory (a flower
 * crown, a bucket hat or a bandana, drawn by this plugin), every face gets a festival-pass badge,
 * an extra value names the listener's stage, and a `lineup` target prints a poster line.
 */
import { type FacePlugin, type PartDrawContext, type Shape, defineFacePlugin } from '@spoti/face';

/** Which festival accessory each genre family wears; families not listed keep the default. */
export const FESTIVAL_ACCESSORY: Readonly<
  Record<string, 'flower-crown' | 'bucket-hat' | 'bandana'>
> = {
  folk: 'flower-crown',
  pop: 'flower-crown',
  country: 'flower-crown',
  world: 'flower-crown',
  reggae: 'flower-crown',
  latin: 'flower-crown',
  electronic: 'bucket-hat',
  'hip hop': 'bucket-hat',
  'r&b': 'bucket-hat',
  rock: 'bandana',
  metal: 'bandana',
  punk: 'bandana',
};

/** The stage each family plays on. */
export const STAGES: Readonly<Record<string, string>> = {
  electronic: 'Techno Tent',
  'hip hop': 'Block Party Stage',
  rock: 'Main Stage',
  metal: 'Pit Stage',
  punk: 'Garage Stage',
  folk: 'Meadow Stage',
  classical: 'Concert Hall',
  jazz: 'Late-Night Club',
};

function circle(cx: number, cy: number, r: number): string {
  return `M${cx - r} ${cy} A${r} ${r} 0 1 0 ${cx + r} ${cy} A${r} ${r} 0 1 0 ${cx - r} ${cy} Z`;
}

function flowerCrown({ ink, variant }: PartDrawContext): Shape[] {
  const colours =
    variant === 0 ? ['#ff8fb1', '#ffd84d', '#9ad0ff'] : ['#c7a4ff', '#ff9f6b', '#8fe3b0'];
  const shapes: Shape[] = [{ d: 'M128 150 C168 128 232 128 272 150', stroke: '#5aa469', width: 6 }];
  const spots = [136, 164, 200, 236, 264];
  spots.forEach((x, i) => {
    const y = i === 2 ? 128 : i % 2 === 0 ? 146 : 136;
    shapes.push({ d: circle(x, y, 12), fill: colours[i % 3]!, stroke: ink, width: 3.5 });
    shapes.push({ d: circle(x, y, 4), fill: '#fff7c2', stroke: ink, width: 2.5 });
  });
  return shapes;
}

function bucketHat({ ink, variant }: PartDrawContext): Shape[] {
  const fill = variant === 0 ? '#ffe066' : '#b5e3ff';
  return [
    { d: 'M146 132 C146 88 170 70 200 70 C230 70 254 88 254 132 Z', fill, stroke: ink, width: 6 },
    {
      d: 'M112 150 C130 126 270 126 288 150 C270 162 130 162 112 150 Z',
      fill,
      stroke: ink,
      width: 6,
    },
    { d: 'M150 116 C180 122 220 122 250 116', stroke: ink, width: 4 },
  ];
}

function bandana({ ink, variant }: PartDrawContext): Shape[] {
  const fill = variant === 0 ? '#e5484d' : '#3a5bd9';
  return [
    {
      d: 'M124 152 C160 120 240 120 276 152 L276 172 C240 146 160 146 124 172 Z',
      fill,
      stroke: ink,
      width: 5,
    },
    { d: 'M272 158 L300 146 L296 176 Z', fill, stroke: ink, width: 4 },
    { d: circle(170, 148, 3), fill: '#ffffff' },
    { d: circle(200, 142, 3), fill: '#ffffff' },
    { d: circle(230, 148, 3), fill: '#ffffff' },
  ];
}

/** The festival-pass badge drawn in the face box's top-right corner. */
function passBadge({ ink }: { ink: string }): Shape[] {
  return [
    {
      d: 'M306 30 L374 30 Q382 30 382 38 L382 52 Q372 56 382 62 L382 76 Q382 84 374 84 L306 84 Q298 84 298 76 L298 62 Q308 56 298 52 L298 38 Q298 30 306 30 Z',
      fill: '#1db954',
      stroke: ink,
      width: 5,
    },
    {
      d: 'M340 40 L345 51 L357 52 L348 60 L351 72 L340 66 L329 72 L332 60 L323 52 L335 51 Z',
      fill: '#ffffff',
      stroke: ink,
      width: 3,
    },
  ];
}

/**
 * The festival plugin. Runs after other plugins (`enforce: 'post'`) so the festival look wins,
 * while the listener's pins still win over it.
 *
 * @example
 * ```ts
 * const mapper = createFaceMapper({ plugins: [festivalPlugin] });
 * const face = mapper.map(profile);
 * ```
 */
export const festivalPlugin: FacePlugin = defineFacePlugin({
  name: '@spoti/example-face-plugin/festival',
  version: '1.0.0',
  enforce: 'post',
  parts: {
    a: [
      {
        tag: 'flower-crown',
        description: 'A flower crown (festival folk and pop).',
        notion: [10, 11],
        draw: flowerCrown,
      },
      {
        tag: 'bucket-hat',
        description: 'A bucket hat (festival electronic and hip hop).',
        notion: [12, 13],
        draw: bucketHat,
      },
      {
        tag: 'bandana',
        description: 'A bandana (festival rock, metal and punk).',
        notion: [14, 15],
        draw: bandana,
      },
    ],
  },
  mappings: {
    a: ({ profile, current }) => {
      const family = profile.topGenre?.family;
      const tag = family === undefined ? undefined : FESTIVAL_ACCESSORY[family];
      if (tag === undefined) return undefined;
      const variant = current.tag === 'none' ? 0 : 1;
      return {
        tag,
        variant,
        reason: `At the festival, ${family} fans wear a ${tag.replace('-', ' ')}${current.tag === 'none' ? '' : ` (in place of your ${current.tag.replace('-', ' ')})`}.`,
        inputs: [
          { name: 'topGenre.family', value: family ?? null, source: 'history', confidence: 1 },
        ],
      };
    },
  },
  extras: {
    'festival.stage': ({ profile }) => {
      const family = profile.topGenre?.family;
      const stage = (family === undefined ? undefined : STAGES[family]) ?? 'Discovery Stage';
      return {
        value: stage,
        reason: `Your top genre family ${family ?? '(unknown)'} plays on the ${stage}.`,
      };
    },
  },
  overlays: [{ id: 'festival-pass', draw: passBadge }],
  targets: {
    lineup: (face, { profile }) => {
      const names = (profile?.topArtists ?? []).slice(0, 3).map((a) => a.name.toUpperCase());
      return `${String(face.extras['festival.stage']?.value ?? 'Discovery Stage').toUpperCase()}: ${names.join(' / ') || 'TBA'}`;
    },
  },
});
