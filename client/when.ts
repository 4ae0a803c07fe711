// Times and lengths of time as the page says them: bans, mutes and slow mode.

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** A moment as a reader wants it: "10:42" today, "Dec 8, 10:42" on another day. */
export const clockTime = (when: number) => {
  const date = new Date(when);
  return date.toDateString() === new Date().toDateString()
    ? timeOfDay.format(date)
    : dateAndTime.format(date);
};

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A whole number of minutes as "10 min", "1 h", "1 h 30 min", "1 day" or "3 days". */
export const minutesText = (minutes: number) => {
  if (minutes >= 1440 && minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
};

/** Seconds as "10 s", "1 min" or "1 min 30 s". */
export const secondsText = (seconds: number) => {
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${minutesText(Math.floor(seconds / 60))}${rest ? ` ${rest} s` : ''}`;
};

const ISO_MOMENT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** A server's text with each ISO 8601 moment in it said as a clock time. */
export const localTimes = (text: string) =>
  text.replace(ISO_MOMENT, (iso) => {
    const when = Date.parse(iso);
    return Number.isNaN(when) ? iso : clockTime(when);
  });

/** The server's text as a sentence: a capital first letter. */
export const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
