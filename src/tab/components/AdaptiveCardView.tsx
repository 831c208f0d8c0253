/**
 * Renders an Adaptive Card with the official renderer (the `adaptivecards`
 * package), themed from Fluent's CSS variables so it follows light, dark and
 * high contrast. Action.Execute goes to `onExecute` (the tab's API runs the same
 * verbs the bot does); Action.OpenUrl is dropped (we are already in the tab).
 */
import * as AC from 'adaptivecards';
import { useEffect, useRef } from 'react';

/** Card Markdown (bold, italic, line breaks, lists) to safe HTML: everything is escaped first. */
function markdownToHtml(text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return esc
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1<em>$2</em>')
    .split(/\r?\n/)
    .map((line) => (/^\s*[-*] /.test(line) ? `• ${line.replace(/^\s*[-*] /, '')}` : line))
    .join('<br>');
}

AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdownToHtml(text);
  result.didProcess = true;
};

const v = (name: string) => `var(--${name})`;
const fg = (def: string, subtle: string) => ({ default: def, subtle });

const hostConfig = new AC.HostConfig({
  fontFamily: v('fontFamilyBase'),
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 12 },
  separator: { lineThickness: 1, lineColor: v('colorNeutralStroke2') },
  actions: { maxActions: 6, actionsOrientation: 'horizontal', actionAlignment: 'left', buttonSpacing: 8, spacing: 'default', showCard: { actionMode: 'inline' } },
  containerStyles: {
    default: {
      backgroundColor: v('colorNeutralBackground1'),
      foregroundColors: {
        default: fg(v('colorNeutralForeground1'), v('colorNeutralForeground2')),
        accent: fg(v('colorBrandForeground1'), v('colorBrandForeground2')),
        good: fg(v('colorPaletteGreenForeground1'), v('colorPaletteGreenForeground1')),
        warning: fg(v('colorPaletteDarkOrangeForeground1'), v('colorPaletteDarkOrangeForeground1')),
        attention: fg(v('colorPaletteRedForeground1'), v('colorPaletteRedForeground1')),
        dark: fg(v('colorNeutralForeground1'), v('colorNeutralForeground2')),
        light: fg(v('colorNeutralForeground2'), v('colorNeutralForeground3')),
      },
    },
    emphasis: {
      backgroundColor: v('colorNeutralBackground3'),
      foregroundColors: { default: fg(v('colorNeutralForeground1'), v('colorNeutralForeground2')) },
    },
  },
});

export interface ExecuteRequest {
  verb: string;
  data: Record<string, unknown>;
}

export function AdaptiveCardView({ card, onExecute, label }: { card: Record<string, unknown>; onExecute: (r: ExecuteRequest) => void; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const handler = useRef(onExecute);
  handler.current = onExecute;
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ac = new AC.AdaptiveCard();
    ac.hostConfig = hostConfig;
    ac.onExecuteAction = (action) => {
      if (action instanceof AC.ExecuteAction) handler.current({ verb: action.verb ?? '', data: (action.data ?? {}) as Record<string, unknown> });
    };
    const json = { ...card, actions: ((card.actions as { type: string }[] | undefined) ?? []).filter((a) => a.type !== 'Action.OpenUrl') };
    delete (json as { refresh?: unknown }).refresh;
    ac.parse(json);
    const rendered = ac.render();
    // The renderer marks headings role=heading without a level; under the page's h1 a card heading is level 2.
    rendered?.querySelectorAll('[role="heading"]:not([aria-level])').forEach((h) => h.setAttribute('aria-level', '2'));
    el.replaceChildren(...(rendered ? [rendered] : []));
    return () => el.replaceChildren();
  }, [card]);
  return <div ref={host} className="pt-card" aria-label={label} role="region" style={{ minWidth: 0, overflowWrap: 'anywhere' }} />;
}
