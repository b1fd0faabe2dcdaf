import { describe, expect, it } from 'vitest';
import {
  type FaceError,
  createFaceMapper,
  defineFacePlugin,
  faceShapes,
  isFaceError,
  mapFace,
  toFaceSvg,
} from '../src/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const profile = makeProfile(PERSONAS['night-owl']!);

function faceErrorOf(fn: () => unknown): FaceError {
  try {
    fn();
  } catch (e) {
    if (isFaceError(e)) return e;
    throw e;
  }
  throw new Error('expected a FaceError');
}

describe('defineFacePlugin', () => {
  it('validates the definition and names the plugin', () => {
    const e = faceErrorOf(() => defineFacePlugin({ name: 'Bad Name', version: '1' }));
    expect(e.code).toBe('INVALID_PLUGIN');
    expect(e.plugin).toBe('Bad Name');
    expect(e.message).toContain('name: use lowercase');
    expect(e.message).toContain('version: must be a semver version');
    expect(() =>
      defineFacePlugin({ name: 'x', version: '1.0.0', mappings: { m: 'smile' as never } }),
    ).toThrow(/mappings.m: must be a function/);
  });

  it('rejects plain objects that were not made with defineFacePlugin', () => {
    expect(() => createFaceMapper({ plugins: [{ name: 'x', version: '1.0.0' } as never] })).toThrow(
      /plugins must be made with defineFacePlugin/,
    );
  });
});

describe('plugin mappings', () => {
  it('override a parameter, receiving the profile and the default result', () => {
    let seen: string | undefined;
    const plugin = defineFacePlugin({
      name: 'happy',
      version: '1.2.0',
      mappings: {
        m: ({ current, profile: p }) => {
          seen = `${current.tag}/${p.period.label}`;
          return { tag: 'big-smile', reason: 'The happy plugin makes everyone grin.' };
        },
      },
    });
    const face = createFaceMapper({ plugins: [plugin] }).map(profile);
    expect(seen).toBe('frown/short_term');
    expect(face.params.m).toMatchObject({
      tag: 'big-smile',
      value: 12,
      source: 'plugin',
      plugin: 'happy',
    });
    expect(face.plugins).toEqual(['happy@1.2.0']);
    expect(face.params.m.inputs).toEqual(mapFace(profile).params.m.inputs);
  });

  it('run in enforce/priority order and each sees the previous result', () => {
    const order: string[] = [];
    const make = (name: string, extra: { enforce?: 'pre' | 'post'; priority?: number }) =>
      defineFacePlugin({
        name,
        version: '1.0.0',
        ...extra,
        mappings: {
          e: ({ current }) => {
            order.push(`${name}<${current.plugin ?? 'default'}`);
            return { tag: 'calm', reason: `${name} decided.` };
          },
        },
      });
    const face = createFaceMapper({
      plugins: [
        make('post', { enforce: 'post' }),
        make('low', { priority: -1 }),
        make('high', { priority: 5 }),
        make('pre', { enforce: 'pre' }),
      ],
    }).map(profile);
    expect(order).toEqual(['pre<default', 'high<pre', 'low<high', 'post<low']);
    expect(face.params.e.plugin).toBe('post');
  });

  it('returning undefined keeps the current value', () => {
    const plugin = defineFacePlugin({
      name: 'noop',
      version: '0.1.0',
      mappings: { h: () => undefined },
    });
    expect(createFaceMapper({ plugins: [plugin] }).map(profile).params.h).toEqual(
      mapFace(profile).params.h,
    );
  });

  it('an out-of-range or unknown result is a typed error naming the plugin', () => {
    const outOfRange = defineFacePlugin({
      name: 'too-far',
      version: '1.0.0',
      mappings: { s: () => ({ value: 40, reason: 'Far.' }) },
    });
    const e1 = faceErrorOf(() => createFaceMapper({ plugins: [outOfRange] }).map(profile));
    expect(e1).toMatchObject({ code: 'PLUGIN_RESULT_INVALID', plugin: 'too-far' });
    expect(e1.message).toContain('skin (s) must be an integer in 0..5, got 40');

    const unknown = defineFacePlugin({
      name: 'typo',
      version: '1.0.0',
      mappings: { m: () => ({ tag: 'smirk', reason: 'Hm.' }) },
    });
    const e2 = faceErrorOf(() => createFaceMapper({ plugins: [unknown] }).map(profile));
    expect(e2).toMatchObject({ code: 'PLUGIN_RESULT_INVALID', plugin: 'typo' });
    expect(e2.message).toContain('unknown part "smirk"');

    const noReason = defineFacePlugin({
      name: 'mute',
      version: '1.0.0',
      mappings: { m: () => ({ tag: 'smile', reason: ' ' }) },
    });
    expect(
      faceErrorOf(() => createFaceMapper({ plugins: [noReason] }).map(profile)).message,
    ).toContain('must give a reason');
  });

  it('a throwing plugin is wrapped with its name and cause', () => {
    const boom = new Error('boom');
    const plugin = defineFacePlugin({
      name: 'broken',
      version: '1.0.0',
      mappings: {
        y: () => {
          throw boom;
        },
      },
    });
    const e = faceErrorOf(() => createFaceMapper({ plugins: [plugin] }).map(profile));
    expect(e).toMatchObject({ code: 'PLUGIN_FAILED', plugin: 'broken' });
    expect(e.cause).toBe(boom);
  });

  it('pins win over plugins', () => {
    const plugin = defineFacePlugin({
      name: 'skin',
      version: '1.0.0',
      mappings: { s: () => ({ value: 0, reason: 'Plugin skin.' }) },
    });
    const face = createFaceMapper({ plugins: [plugin] }).map(profile, { pins: { s: 5 } });
    expect(face.params.s).toMatchObject({ value: 5, source: 'pin' });
  });

  it('registration checks duplicate names and targets', () => {
    const a = defineFacePlugin({ name: 'a', version: '1.0.0', targets: { ascii: () => 'a' } });
    const a2 = defineFacePlugin({ name: 'a', version: '2.0.0' });
    const b = defineFacePlugin({ name: 'b', version: '1.0.0', targets: { ascii: () => 'b' } });
    expect(faceErrorOf(() => createFaceMapper({ plugins: [a, a2] })).message).toContain(
      'registered twice',
    );
    expect(faceErrorOf(() => createFaceMapper({ plugins: [a, b] }))).toMatchObject({ plugin: 'b' });
  });
});

describe('plugin parts, extras, targets and overlays', () => {
  const crown = defineFacePlugin({
    name: 'royal',
    version: '1.0.0',
    parts: {
      a: [
        {
          tag: 'crown',
          description: 'A small crown.',
          notion: [14, 15],
          draw: ({ ink }) => [
            {
              d: 'M160 96 L170 60 L200 84 L230 60 L240 96 Z',
              fill: '#ffd84d',
              stroke: ink,
              width: 5,
            },
          ],
        },
      ],
    },
    mappings: { a: () => ({ tag: 'crown', variant: 1, reason: 'Royalty wears a crown.' }) },
    extras: {
      'royal.title': ({ params }) => ({
        value: `Queen of ${params.h.tag}`,
        reason: 'Every royal needs a title.',
      }),
    },
    targets: { ascii: (face) => `(${face.params.a.tag})` },
    overlays: [
      {
        id: 'royal-badge',
        draw: ({ ink }) => [{ d: 'M20 20 L60 20 L60 60 L20 60 Z', fill: '#1db954', stroke: ink }],
      },
    ],
  });

  it('adds a part that mappings can use, with its own drawing', () => {
    const mapper = createFaceMapper({ plugins: [crown] });
    const face = mapper.map(profile);
    expect(face.params.a).toMatchObject({ tag: 'crown', value: 15, variant: 1 });
    const shapes = faceShapes(face, { mapper });
    expect(shapes.some((s) => s.d.startsWith('M160 96 L170 60'))).toBe(true);
    expect(shapes.at(-1)!.d).toBe('M20 20 L60 20 L60 60 L20 60 Z');
    expect(
      faceShapes(face, { mapper, overlays: false }).some((s) => s.d.startsWith('M20 20')),
    ).toBe(false);
    expect(toFaceSvg(face, { mapper })).toContain('fill="#ffd84d"');
  });

  it('computes extras and renders plugin targets', () => {
    const mapper = createFaceMapper({ plugins: [crown] });
    const face = mapper.map(profile);
    expect(face.extras['royal.title']).toEqual({
      value: 'Queen of long',
      reason: 'Every royal needs a title.',
      plugin: 'royal',
    });
    expect(mapper.renderTarget(face, 'ascii')).toBe('(crown)');
    expect(faceErrorOf(() => mapper.renderTarget(face, 'pdf'))).toMatchObject({
      code: 'UNKNOWN_TARGET',
    });
  });

  it('rejects parts that clash or fall outside the ranges', () => {
    const clash = defineFacePlugin({
      name: 'clash',
      version: '1.0.0',
      parts: { a: [{ tag: 'none', description: 'x', notion: [14], draw: () => [] }] },
    });
    expect(faceErrorOf(() => createFaceMapper({ plugins: [clash] })).message).toContain(
      '"none", which is built in',
    );
    const used = defineFacePlugin({
      name: 'used',
      version: '1.0.0',
      parts: { a: [{ tag: 'cap', description: 'x', notion: [2], draw: () => [] }] },
    });
    expect(faceErrorOf(() => createFaceMapper({ plugins: [used] })).message).toContain(
      'already used by "headphones"',
    );
    const far = defineFacePlugin({
      name: 'far',
      version: '1.0.0',
      parts: { a: [{ tag: 'cap', description: 'x', notion: [99], draw: () => [] }] },
    });
    expect(faceErrorOf(() => createFaceMapper({ plugins: [far] }))).toMatchObject({
      code: 'PLUGIN_RESULT_INVALID',
      plugin: 'far',
    });
    expect(
      createFaceMapper({ plugins: [far], ranges: { a: { min: 0, max: 120 } } }).catalogue.a.at(-1)!
        .tag,
    ).toBe('cap');
  });
});
