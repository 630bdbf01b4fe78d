"""What a reader sees, measured in the page: visible boxes, words split across lines, tap targets.

Each function runs one script in the page and returns plain findings (strings a failure message can
list), so a test reads as a sentence and a failure names the element and its box.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

_COMMON = """
const visible = el => {
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
  const r = el.getBoundingClientRect();
  // A visually hidden label (1 x 1 px, clipped) is there for screen readers, not for the eye.
  return r.width > 1 && r.height > 1;
};
const box = r => `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}`;
const name = el => {
  const hook = Array.from(el.attributes).find(a => a.name.startsWith('data-playbook'));
  const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return `<${el.tagName.toLowerCase()}${hook ? ' ' + hook.name : ''}>${text ? ' "' + text + '"' : ''}`;
};
"""


def header_defects(page: Page) -> list[str]:
    """Visible header elements outside the header's box, and top-level header items that overlap."""
    return list(page.evaluate(_COMMON + """() => {
      const header = document.querySelector('[data-playbook-header]');
      const bounds = header.getBoundingClientRect();
      const found = [];
      for (const el of header.querySelectorAll('*')) {
        // An icon's drawing lies inside the icon: the svg is measured, not its paths.
        if (el.ownerSVGElement || !visible(el)) continue;
        const r = el.getBoundingClientRect();
        const outside = r.left < bounds.left - 1 || r.right > bounds.right + 1
          || r.top < bounds.top - 1 || r.bottom > bounds.bottom + 1;
        if (outside) {
          found.push(`${name(el)} at ${box(r)} lies outside the header at ${box(bounds)}`);
        }
      }
      // The header's items: the children of its bar (logo, menu button, title, buttons, search, source).
      const bar = header.querySelector('nav') || header;
      const items = Array.from(bar.children).filter(visible);
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const a = items[i].getBoundingClientRect(), b = items[j].getBoundingClientRect();
          const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (across > 1 && down > 1) {
            found.push(`${name(items[i])} at ${box(a)} overlaps ${name(items[j])} at ${box(b)}`);
          }
        }
      }
      return found;
    }"""))


def visible_icons(page: Page, selector: str) -> list[str]:
    """The icons (svg) shown inside the first element matching ``selector``, each with its box."""
    return list(page.evaluate(_COMMON + """selector => {
      const root = document.querySelector(selector);
      return Array.from(root.querySelectorAll('svg')).filter(visible)
        .map(svg => `${name(svg.parentElement)} > svg at ${box(svg.getBoundingClientRect())}`);
    }""", selector))


def sideways_scroll(page: Page) -> int:
    """How many pixels the page is wider than the screen: 0 when it never scrolls sideways."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def split_words(page: Page, scope: str) -> list[str]:
    """Words of links and table cells inside ``scope`` that the layout breaks across two lines.

    A word here runs between spaces and hyphens (a line may break after a hyphen). Its text range
    gives one box per line it occupies; boxes at different heights mean it was split.
    """
    return list(page.evaluate(_COMMON + """scope => {
      const found = [];
      const seen = new Set();
      for (const host of document.querySelectorAll(`${scope} a, ${scope} td, ${scope} th`)) {
        if (!visible(host)) continue;
        const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (seen.has(node)) continue;
          seen.add(node);
          const text = node.data;
          for (const match of text.matchAll(/[^\\s\\-\\u2010\\u2011\\u2013\\u2014\\/]+/gu)) {
            if (match[0].length < 2) continue;
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = Array.from(range.getClientRects()).filter(r => r.width > 0);
            const tops = new Set(lines.map(r => Math.round(r.top)));
            if (tops.size > 1) found.push(`"${match[0]}" in ${name(host)} runs over ${tops.size} lines`);
          }
        }
      }
      return found;
    }""", scope))


def overflowing_cells(page: Page, scope: str) -> list[str]:
    """Table cells inside ``scope`` whose content is wider than the cell, so it runs into its neighbour."""
    return list(page.evaluate(_COMMON + """scope => Array.from(document.querySelectorAll(`${scope} td, ${scope} th`))
      .filter(cell => visible(cell) && cell.scrollWidth > cell.clientWidth + 1)
      .map(cell => `${name(cell)} holds ${cell.scrollWidth} px in ${cell.clientWidth} px`)""", scope))


def tables_losing_first_column(page: Page, scope: str) -> list[str]:
    """Tables inside ``scope`` that are wider than their box and, scrolled to the end, hide their first column.

    A table narrower than its box (or shown as stacked cards) passes as it is. One wider must scroll
    inside its own box (never the page) and keep its first column in view while it does.
    """
    return list(page.evaluate(_COMMON + """scope => {
      const found = [];
      for (const table of document.querySelectorAll(`${scope} table`)) {
        if (!visible(table)) continue;
        let scroller = table.parentElement;
        while (scroller && scroller !== document.body && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowX)) {
          scroller = scroller.parentElement;
        }
        if (!scroller || scroller === document.body || scroller.scrollWidth <= scroller.clientWidth + 1) continue;
        const view = scroller.getBoundingClientRect();
        const before = scroller.scrollLeft;
        scroller.scrollLeft = scroller.scrollWidth;
        for (const row of table.rows) {
          const first = row.cells[0];
          if (!first || !visible(first)) continue;
          const r = first.getBoundingClientRect();
          if (r.left < view.left - 1 || r.right > view.right + 1) {
            found.push(`${name(first)}, scrolled to the end, is at ${box(r)} outside its box at ${box(view)}`);
            break;
          }
        }
        scroller.scrollLeft = before;
      }
      return found;
    }""", scope))


TAP_TARGETS = "a[href], button, input:not([type=hidden]), select, textarea, summary, label[for]"


def small_tap_targets(page: Page, scope: str, minimum: int = 24) -> list[str]:
    """Tap targets inside ``scope`` smaller than ``minimum`` px a side, under WCAG 2.2's 2.5.8 (AA).

    Its exceptions apply as the criterion words them: a link inside a sentence or a list of words
    (its block holds text other than its own), and a small target whose 24 px circle, centred on
    it, meets no other target and no other small target's circle.
    """
    return list(page.evaluate(_COMMON + """([scope, selector, minimum]) => {
      const shown = Array.from(document.querySelectorAll(`${scope} :is(${selector})`)).filter(visible)
        .filter(el => getComputedStyle(el).pointerEvents !== 'none');
      // A label of a control that is itself shown counts with that control (below), not as a target of its own.
      const targets = shown.filter(el => !(el.tagName === 'LABEL' && el.control && shown.includes(el.control)));
      const block = el => {
        let at = el.parentElement;
        while (at && /^(inline|contents)/.test(getComputedStyle(at).display)) at = at.parentElement;
        return at;
      };
      // In a sentence: the link's block holds words that are no target's (a row of badges is not a sentence).
      const inSentence = el => {
        if (el.tagName !== 'A') return false;
        const holder = block(el);
        if (!holder) return false;
        const letters = node => node.textContent.replace(/\\s+/g, '').length;
        const inTargets = Array.from(holder.querySelectorAll('a[href]')).reduce((n, a) => n + letters(a), 0);
        return letters(holder) > inTargets;
      };
      // A box or radio is ticked by a tap on its label too: its target is the two together.
      const rect = el => {
        const r = el.getBoundingClientRect();
        const labels = el.tagName === 'INPUT' && el.labels ? Array.from(el.labels).filter(visible) : [];
        if (!labels.length) return r;
        const all = [r, ...labels.map(l => l.getBoundingClientRect())];
        const left = Math.min(...all.map(b => b.left)), top = Math.min(...all.map(b => b.top));
        const right = Math.max(...all.map(b => b.right)), bottom = Math.max(...all.map(b => b.bottom));
        return {left, top, right, bottom, width: right - left, height: bottom - top};
      };
      const small = targets.filter(el => {
        const r = rect(el);
        return (r.width < minimum - 0.5 || r.height < minimum - 0.5) && !inSentence(el);
      });
      const centre = el => {
        const r = rect(el);
        return [r.left + r.width / 2, r.top + r.height / 2];
      };
      const radius = minimum / 2;
      const found = [];
      for (const el of small) {
        const [x, y] = centre(el);
        const clash = targets.find(other => {
          if (other === el || other.contains(el) || el.contains(other)) return false;
          const r = rect(other);
          const dx = Math.max(r.left - x, 0, x - r.right), dy = Math.max(r.top - y, 0, y - r.bottom);
          if (Math.hypot(dx, dy) < radius) return true;
          if (!small.includes(other)) return false;
          const [ox, oy] = centre(other);
          return Math.hypot(ox - x, oy - y) < 2 * radius;
        });
        const at = box(rect(el));
        if (clash) found.push(`${name(el)} at ${at} is under ${minimum} px and near ${name(clash)}`);
      }
      return found;
    }""", [scope, TAP_TARGETS, minimum]))


def summary(found: list[Any], most: int = 12) -> str:
    shown = "\n  ".join(str(f) for f in found[:most])
    return shown + (f"\n  ... and {len(found) - most} more" if len(found) > most else "")


def focus_defect(page: Page) -> str | None:
    """What is wrong with the focused element as a keyboard user sees it, or None.

    It must be on screen and not hidden under anything (the sticky header), as WCAG 2.2's 2.4.11 asks,
    and show a focus indicator: an outline or a ring (2.4.7).
    """
    found = page.evaluate(_COMMON + """() => {
      // What moving the focus set off (a panel closing, an overlay fading) has ended when the reader looks.
      for (const a of document.getAnimations()) {
        if (a.effect && a.effect.getComputedTiming().endTime < Infinity) a.finish();
      }
      const focused = document.activeElement;
      if (!focused || focused === document.body) return null;
      // A hidden radio or box that the theme draws as a label beside it (the palette switch) is seen as that label.
      const own = focused.getBoundingClientRect();
      const beside = focused.nextElementSibling;
      const drawn = [...(focused.labels || []), ...(beside && beside.tagName === 'LABEL' ? [beside] : [])];
      const el = (own.width < 2 || own.height < 2) ? drawn.find(visible) || focused : focused;
      const r = el.getBoundingClientRect();
      if (r.bottom <= 0 || r.top >= window.innerHeight || r.right <= 0 || r.left >= window.innerWidth) {
        return `${name(el)} at ${box(r)} has the focus off screen`;
      }
      const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
      const top = document.elementFromPoint(x, y);
      const label = focused.labels && focused.labels[0];
      if (top && !el.contains(top) && !top.contains(el) && !(label && label.contains(top))) {
        return `${name(el)} at ${box(r)} has the focus under ${name(top)}`;
      }
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return ring ? null : `${name(el)} shows no focus indicator`;
    }""")
    return None if found is None else str(found)
