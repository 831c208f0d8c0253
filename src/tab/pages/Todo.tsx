/** "To do": everyone's home. What you can act on, each naming the person, each linking to where it is done. */
import {
  Badge, Button, Card, Link, MessageBar, MessageBarBody, Spinner, Text, Title2,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatShortDay } from '../format';
import { href } from '../route';

export interface TodoItem {
  id: string;
  kind: string;
  role: 'owe' | 'escalated';
  title: string;
  about: string[];
  detail: string;
  dueAt: string;
  dueWords: string;
  state: 'upcoming' | 'due-soon' | 'overdue';
  link: string;
  linkLabel: string;
  actionId?: string;
  snoozedUntil?: string;
  /** The zone of the item's pack. */
  timeZone: string;
}

const STATE: Record<TodoItem['state'], [string, 'danger' | 'warning' | 'informative']> = {
  overdue: ['Overdue', 'danger'],
  'due-soon': ['Due soon', 'warning'],
  upcoming: ['Coming up', 'informative'],
};

export function Todo() {
  const [items, setItems] = useState<TodoItem[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const load = () => api<{ items: TodoItem[] }>('/todo').then((r) => setItems(r.items)).catch((e: Error) => setError(e.message));
  useEffect(() => void load(), []);

  async function done(item: TodoItem) {
    try {
      await api(`/actions/${encodeURIComponent(item.actionId!)}/done`, { method: 'POST' });
      setNotice(`Marked done: ${item.title}`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!items && !error) return <Spinner label="Loading your to-do list…" />;
  const owe = items?.filter((i) => i.role === 'owe') ?? [];
  const escalated = items?.filter((i) => i.role === 'escalated') ?? [];
  return (
    <section aria-labelledby="todo-heading" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title2 as="h1" id="todo-heading">To do</Title2>
      {error && <MessageBar layout="multiline" intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {notice && <MessageBar layout="multiline" intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      {items && items.length === 0 && <Text as="p" data-testid="todo-empty">Nothing to do: every record, action and agreement is up to date.</Text>}
      {owe.length > 0 && <ItemList heading="For you to do" items={owe} onDone={done} />}
      {escalated.length > 0 && <ItemList heading="Escalated to you" items={escalated} onDone={done} />}
    </section>
  );
}

function ItemList({ heading, items, onDone }: { heading: string; items: TodoItem[]; onDone: (i: TodoItem) => void }) {
  const id = `todo-${heading.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section aria-labelledby={id} style={{ display: 'grid', gap: 8 }}>
      <Text as="h2" id={id} weight="semibold" size={400}>{heading}</Text>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 8 }} data-testid="todo-items">
        {items.map((item) => {
          const [label, color] = STATE[item.state];
          return (
            <li key={item.id} data-testid="todo-item" data-kind={item.kind}>
              <Card>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'baseline' }}>
                  <Badge appearance="tint" color={color}>{label}</Badge>
                  <Text size={200}>by {item.dueWords}</Text>
                  {item.snoozedUntil && <Badge appearance="outline" color="informative">Reminders snoozed until {formatShortDay(item.snoozedUntil, item.timeZone)}</Badge>}
                </div>
                <Text weight="semibold" style={{ overflowWrap: 'anywhere' }}>{item.title}</Text>
                <Text size={200} style={{ overflowWrap: 'anywhere' }}>{item.detail}</Text>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                  {item.actionId ? (
                    <Button size="small" appearance="primary" onClick={() => onDone(item)}>Mark done</Button>
                  ) : (
                    <Link href={href(item.link)}>{item.linkLabel}<span className="visually-hidden">: {item.title}</span></Link>
                  )}
                </div>
              </Card>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
