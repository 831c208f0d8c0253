import { createRoot } from 'react-dom/client';
import { App } from './App';

/**
 * Fluent's focus manager (tabster) inserts 1-px "dummy" <i tabindex=0 role=none>
 * sentinels to steer Tab presses, and marks them aria-hidden. A focusable
 * element must not be aria-hidden (axe: aria-hidden-focus), and these are empty
 * and role=none already, so assistive technology has nothing to announce:
 * drop the attribute as they appear.
 */
function unhideTabsterSentinels(root: ParentNode) {
  root.querySelectorAll?.('[data-tabster-dummy][aria-hidden]').forEach((el) => el.removeAttribute('aria-hidden'));
}
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === 'attributes' && r.target instanceof Element && r.target.hasAttribute('data-tabster-dummy')) r.target.removeAttribute('aria-hidden');
    r.addedNodes.forEach((n) => {
      if (n instanceof Element) {
        if (n.hasAttribute('data-tabster-dummy')) n.removeAttribute('aria-hidden');
        unhideTabsterSentinels(n);
      }
    });
  }
}).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-hidden'] });

createRoot(document.getElementById('root')!).render(<App />);
