// Conditions, triggers, waits and schedules in words: the one describer every page uses (segment list and editor,
// journey flow, campaign audiences), so no page shows the segment or journey language as JSON. Each returns plain
// text; a shape it does not know is named as such rather than dumped.
import { fmt } from './dom.js';

const OPS = {
  equals: 'is', not_equals: 'is not', contains: 'contains', exists: 'is set', not_exists: 'is not set',
  gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'is one of', date_before: 'is before', date_after: 'is after',
};

/** The segment language's named traits, as the marketer reads them. */
export const TRAITS = {
  email: 'Email', firstName: 'First name', lastName: 'Last name', phone: 'Phone', birthday: 'Birthday', timezone: 'Time zone',
  locale: 'Locale', country: 'Country', userId: 'User id',
};

/** Commerce facts and the lifetime-value model's predictions; money ones are shown in the shop's currency. */
export const METRICS = {
  orders: { label: 'Orders' },
  total_spent: { label: 'Total spent', money: true },
  average_order_value: { label: 'Average order value', money: true },
  days_since_last_order: { label: 'Days since the last order' },
  predicted_clv: { label: 'Predicted value (next 12 months)', money: true },
  churn_probability: { label: 'Churn probability', percent: true },
  expected_next_order: { label: 'Expected next order (days)' },
};

export const STAGES = ['awareness', 'interest', 'consideration', 'intent', 'evaluation', 'purchase', 'enjoyment', 'advocacy', 'bond', 'at_risk', 'lapsed'];

const capital = (s) => String(s).charAt(0).toUpperCase() + String(s).slice(1);
const plural = (n, unit) => `${n} ${unit}${Number(n) === 1 ? '' : 's'}`;
const list = (xs, last = 'or') => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} ${last} ${xs[xs.length - 1]}`);
const value = (v) => (Array.isArray(v) ? list(v.map(String)) : typeof v === 'string' ? v : JSON.stringify(v));

/** {days: 7} or {hours: 1} as words. */
export function span(w) {
  if (!w) return '';
  if (w.days !== undefined) return plural(w.days, 'day');
  if (w.hours !== undefined) return plural(w.hours, 'hour');
  if (w.minutes !== undefined) return plural(w.minutes, 'minute');
  return '';
}

/** An ISO-8601 duration (P1D, PT1H30M) as words. */
export function duration(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso ?? '');
  if (!m) return String(iso);
  return [[m[1], 'day'], [m[2], 'hour'], [m[3], 'minute']].filter(([n]) => n).map(([n, u]) => plural(n, u)).join(' ');
}

function compare(label, op, v, { money = false, percent = false } = {}) {
  if (op === 'exists' || op === 'not_exists') return `${label} ${OPS[op]}`;
  const shown = money && typeof v === 'number' ? fmt.money(v) : percent && typeof v === 'number' ? fmt.pct(v, 0) : value(v);
  return `${label} ${OPS[op] ?? op} ${shown}`;
}

function where(filters) {
  if (!filters?.length) return '';
  return ` with ${list(filters.map((f) => compare(f.property, f.op, f.value)), 'and')}`;
}

function eventCondition(c) {
  const what = `${c.event}${where(c.where)}`;
  const window = c.within ? ` in the last ${span(c.within)}` : c.between ? ` between ${fmt.when(c.between.from)} and ${fmt.when(c.between.to)}` : '';
  const since = c.afterLast ? ` since the last ${c.afterLast}` : '';
  if (c.performed === false) return `No ${what}${since}${window}`;
  const min = c.count?.min, max = c.count?.max;
  const times = min && max ? ` ${min} to ${max} times` : min && min > 1 ? ` at least ${min} times` : max !== undefined ? ` at most ${plural(max, 'time')}` : '';
  return `${what}${times}${since}${window}`;
}

/**
 * A condition of the segment language (and a journey branch's: did, consent) in words. {names}: segment ids to their
 * names, when the page has them.
 */
export function condition(c, names = {}) {
  if (c === null || c === undefined) return 'Everyone';
  if (c.all) return c.all.length ? list(c.all.map((x) => group(x, names)), 'and') : 'Everyone';
  if (c.any) return c.any.length ? list(c.any.map((x) => group(x, names)), 'or') : 'No one';
  if (c.not) return `Not (${condition(c.not, names)})`;
  if (c.trait !== undefined) return compare(TRAITS[c.trait] ?? c.trait, c.op, c.value);
  if (c.event !== undefined) return eventCondition(c);
  if (c.lastPerformed !== undefined) {
    return c.olderThan ? `Last ${c.lastPerformed} more than ${span(c.olderThan)} ago (or never)` : `Last ${c.lastPerformed} within the last ${span(c.within)}`;
  }
  if (c.metric !== undefined) {
    const m = METRICS[c.metric] ?? { label: c.metric };
    return compare(m.label, c.op, c.value, m);
  }
  if (c.score !== undefined) return compare(`${capital(c.score)} score`, c.op, c.value);
  if (c.stage !== undefined) return `Stage is ${list([].concat(c.stage).map(String))}`;
  if (c.anniversary !== undefined) return `${TRAITS[c.anniversary] ?? c.anniversary} ${c.inDays ? `is in ${plural(c.inDays, 'day')}` : 'is today'} (month and day)`;
  if (c.date !== undefined) return `${TRAITS[c.date] ?? c.date} is ${c.inDays ? `in ${plural(c.inDays, 'day')}` : 'today'}`;
  if (c.inSegment !== undefined) return `In segment “${names[c.inSegment] ?? c.inSegment}”`;
  if (c.bucket !== undefined) return `Bucket ${c.bucket.from}–${c.bucket.to - 1} of “${c.bucket.salt}” (${c.bucket.to - c.bucket.from}% of contacts)`;
  if (c.did !== undefined) return `Did ${c.did}${where(c.where)} since entering`;
  if (c.consent !== undefined) return `Email consent is ${c.consent === true ? 'granted' : c.consent === false ? 'not granted' : c.consent}`;
  return `A condition this page cannot show (${Object.keys(c).join(', ')}): open the code`;
}

function group(c, names) {
  const words = condition(c, names);
  return c.all?.length > 1 || c.any?.length > 1 ? `(${words})` : words;
}

/** A journey's trigger. */
export function trigger(tr) {
  if (!tr) return 'when the API starts it';
  if (tr.api) return 'when the shop’s own call enters someone';
  if (tr.event) return `on ${list([].concat(tr.event))}`;
  if (tr.subscription) return 'when someone subscribes to marketing email';
  if (tr.segment) {
    const s = tr.segment;
    if (typeof s === 'string') return `on entering segment “${s}”`;
    return s.exited ? `on leaving segment “${s.exited}”` : `on entering segment “${s.entered ?? s.id}”`;
  }
  if (tr.date) return `${tr.date.before ? `${duration(tr.date.before)} before` : tr.date.after ? `${duration(tr.date.after)} after` : 'on'} the date in ${TRAITS[tr.date.trait] ?? tr.date.trait}`;
  return 'on a trigger this page cannot show: open the code';
}

/** A journey step's wait. */
export function wait(v) {
  if (typeof v === 'string') return `Wait ${duration(v)}`;
  if (v.until) return `Wait until ${v.until} in the contact’s time zone`;
  return `Wait for ${v.for ?? 'an event'}${v.match ? ` with the same ${v.match}` : ''}${v.within ? `, at most ${duration(v.within)}` : ''}`;
}

/** A campaign's audience: the members of its segments, less those of others, and a date field's day. */
export function audience(a, names = {}) {
  if (!a) return 'no one yet';
  const named = (ids) => list((ids ?? []).map((id) => `“${names[id] ?? id}”`));
  const date = a.date ? `, whose ${TRAITS[a.date.trait] ?? a.date.trait} is ${a.date.daysBefore ? `in ${plural(a.date.daysBefore, 'day')}` : 'today'}` : '';
  return `members of ${named(a.segments) || 'no segment'}${a.exclude?.length ? `, except members of ${named(a.exclude)}` : ''}${date}`;
}

const WEEKDAYS = { MON: 'Monday', TUE: 'Tuesday', WED: 'Wednesday', THU: 'Thursday', FRI: 'Friday', SAT: 'Saturday', SUN: 'Sunday' };

/** A campaign's schedule. */
export function schedule(s) {
  if (!s) return 'on demand';
  const zone = s.zone === 'contact' ? 'each contact’s time zone' : s.zone ?? 'UTC';
  const until = s.until ? `, until ${s.until}` : '';
  if (s.at) return `once at ${s.at.replace('T', ' ')} (${zone})`;
  // the crons the campaign editor writes: a weekday's or every day's time
  const m = /^(\d+) (\d+) (\?|\*) \* (\?|\*|[A-Z]{3}) \*$/.exec(s.cron ?? '');
  if (m) return `every ${WEEKDAYS[m[4]] ?? 'day'} at ${m[2].padStart(2, '0')}:${m[1].padStart(2, '0')} (${zone})${until}`;
  if (s.cron) return `on cron ${s.cron} (${zone})${until}`;
  if (s.rate) return `every ${s.rate}`;
  return 'on a schedule this page cannot show: open the code';
}
