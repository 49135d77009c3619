import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from './html.js';

describe('html', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });

  it('escapes interpolated text, keeps SafeHtml, joins lists and drops nullish/false', () => {
    const name = '<script>alert(1)</script>';
    const inner = html`<b>${name}</b>`;
    const out = html`<p title="${name}">${inner}${[1, ' & ', 2]}${null}${undefined}${false}</p>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(String(out)).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b>1 &amp; 2</p>',
    );
  });
});
