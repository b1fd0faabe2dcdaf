import type { Play } from '@spoti/catalog';

/**
 * -1 unknown, 0 played through, 1 skipped: the play's `skipped`, else what its `reasonEnd` says
 * (`fwdbtn`/`backbtn` skipped, `trackdone` not).
 */
export function skippedOf(play: Pick<Play, 'skipped' | 'reasonEnd'>): number {
  const skipped =
    play.skipped ??
    (play.reasonEnd === 'fwdbtn' || play.reasonEnd === 'backbtn'
      ? true
      : play.reasonEnd === 'trackdone'
        ? false
        : null);
  return skipped === null ? -1 : skipped ? 1 : 0;
}
