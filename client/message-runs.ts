import { showDay } from './day-heading.js';
import { dayLabel, dayOf } from './message-element.js';
import type { Entry, MessageLog } from './message-log.js';

// One sender's messages this close together are shown as one run, under one name.
const GROUP_GAP_MS = 5 * 60 * 1000;

/**
 * Marks where a message stands among its neighbours: the first of its day (under the day's
 * heading), or the continuation of one person's run (shown under the run's name).
 */
export const regroup = (log: MessageLog, entry: Entry | undefined) => {
  if (!entry) return;
  const prev = log.besides(entry.m.seq, -1);
  const newDay = !prev || dayOf(prev.m) !== dayOf(entry.m);
  // A run is one person's (one name may be several people's), unbroken by a moderation line.
  const sameRun =
    !newDay &&
    entry.li.previousElementSibling === prev.li &&
    prev.own === entry.own &&
    prev.m.sender === entry.m.sender &&
    prev.m.userId === entry.m.userId &&
    Date.parse(entry.m.sentAt) - Date.parse(prev.m.sentAt) < GROUP_GAP_MS;
  entry.li.classList.toggle('new-day', newDay);
  entry.li.classList.toggle('continued', sameRun);
  showDay(entry.li, newDay ? dayLabel(entry.m) : '');
};
