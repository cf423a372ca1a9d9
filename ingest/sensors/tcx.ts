import { tcx } from '@tmcw/togeojson';
import { splitFeatures } from './features.js';
import { finishTrack, type ReaderContext } from './result.js';
import type { ExtractedTrack } from './types.js';
import { childElements, descendants, parseXml } from './xml.js';

/** Garmin TCX activities and courses: each lap is a source segment; TPX speeds (m/s) are kept. */
export function readTcx(text: string, ctx: ReaderContext): ExtractedTrack {
  const doc = parseXml(text, ctx.opts.filename, ctx.notes);
  const root = doc.documentElement!;
  const activities = descendants(root, 'Activity');
  const sport = activities[0]?.getAttribute('Sport') ?? undefined;
  const activityId = activities[0] ? childElements(activities[0], 'Id')[0]?.textContent?.trim() : undefined;
  const creator = descendants(root, 'Creator')[0];
  const device = creator ? childElements(creator, 'Name')[0]?.textContent?.trim() : undefined;
  // Name unnamed activities after the device when there is one: "Fitbit Versa" says more than the file name.
  const defaultEntity = device ? `${device} (${ctx.stem})` : ctx.stem;
  const fc = tcx(doc);
  const { features, tracks } = splitFeatures(fc.features, { builder: ctx.builder, notes: ctx.notes, defaultEntity, kind: sport ? `TCX ${sport} activity` : 'TCX track' });
  const course = descendants(root, 'Course')[0];
  const courseName = course ? childElements(course, 'Name')[0]?.textContent?.trim() : undefined;
  return finishTrack(ctx, 'tcx', courseName ?? (sport && activityId ? `${sport} ${activityId}` : undefined), features, {
    sport,
    activityId,
    device,
    activities: activities.length,
    courses: descendants(root, 'Course').length,
    laps: descendants(root, 'Lap').length,
    tracks,
  });
}
