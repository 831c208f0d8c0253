/**
 * A date input that follows the Fluent theme (light, dark, high contrast) and
 * reads and writes UK dates ("Wed 9 Dec 2026", typed as 9/12/2026). The value
 * stays an ISO date (YYYY-MM-DD) for the API.
 */
import { DatePicker, type DatePickerProps } from '@fluentui/react-datepicker-compat';

const display = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function fromIso(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 ? d : null;
}

/** "9/12/2026", "09-12-26", "2026-12-09": day first, as people in the UK type it. */
export function parseUkDate(text: string): Date | null {
  const t = text.trim();
  const iso = fromIso(t);
  if (iso) return iso;
  const m = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const d = new Date(year, Number(m[2]) - 1, Number(m[1]));
  return d.getDate() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 ? d : null;
}

export function DateField({ value, onChange, id, ...rest }: { value: string; onChange: (iso: string) => void; id?: string } & Omit<DatePickerProps, 'value' | 'onSelectDate' | 'onChange'>) {
  return (
    <DatePicker
      {...rest}
      id={id}
      value={fromIso(value)}
      onSelectDate={(d) => onChange(d ? isoDate(d) : '')}
      formatDate={(d) => (d ? display.format(d) : '')}
      parseDateFromString={(s) => parseUkDate(s)}
      allowTextInput
      firstDayOfWeek={1}
      placeholder="Choose a date (e.g. 9/12/2026)"
      // The calendar button's own name (its default points at an input id that a surrounding Field replaces).
      contentAfter={{ 'aria-label': 'Choose from a calendar', 'aria-labelledby': undefined } as never}
    />
  );
}
