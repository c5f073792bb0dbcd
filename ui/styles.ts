// Theme: set any of these on the page (e.g. `:root { --minopio-accent: #7b2cbf }`); they inherit into the shadow roots.
//   --minopio-font, --minopio-bg, --minopio-fg, --minopio-muted, --minopio-accent, --minopio-accent-fg,
//   --minopio-border, --minopio-focus, --minopio-radius, --minopio-z
// The defaults are neutral ink on paper (dark: paper on ink), so the banner sits quietly on any brand. Light and dark
// each meet 4.5:1 for text and 3:1 for controls and the focus ring. The border is decoration only (the shadow and
// the backdrop outline the boxes); every control's edge uses the muted or accent colour.
// Forced colours (Windows High Contrast): the switches draw themselves in system colours, on and off differing by
// fill and knob position, because the browser would otherwise flatten both to the same empty oval.
// Reflow (WCAG 1.4.10): nothing has a fixed width, long words break (`hyphens` uses the host's `lang`), buttons
// wrap (accept and reject stay side by side, equal), the dialog becomes a bottom sheet, the audit panel becomes a bottom sheet and its table cards.
const CSS = `:host{all:initial;--f:var(--minopio-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);--bg:var(--minopio-bg,#fff);--fg:var(--minopio-fg,#1c1d21);--mu:var(--minopio-muted,#5b606b);--ac:var(--minopio-accent,#1c1d21);--af:var(--minopio-accent-fg,#fff);--bd:var(--minopio-border,#d5d8dd);--fo:var(--minopio-focus,#1a5fb4);--r:var(--minopio-radius,12px);--z:var(--minopio-z,2147483000)}
@media(prefers-color-scheme:dark){:host{--bg:var(--minopio-bg,#1d1f23);--fg:var(--minopio-fg,#eceef1);--mu:var(--minopio-muted,#b4b8c0);--ac:var(--minopio-accent,#eceef1);--af:var(--minopio-accent-fg,#1d1f23);--bd:var(--minopio-border,#464a52);--fo:var(--minopio-focus,#9ec5fe)}}
:host([data-minopio-placeholder]){display:block;max-width:100%}
*{box-sizing:border-box}
.bn,.d,.sb,.ph,.ap{font:15px/1.5 var(--f);color:var(--fg);background:var(--bg);border:1px solid var(--bd);border-radius:var(--r);overflow-wrap:anywhere;hyphens:auto}
.bn,.o,.sb{position:fixed;z-index:var(--z)}
.bn{left:8px;right:8px;bottom:8px;max-height:60vh;overflow:auto;padding:16px;box-shadow:0 8px 32px #0002,0 1px 3px #0002;animation:u .25s ease-out}
@keyframes u{from{transform:translateY(24px);opacity:0}}
@media(min-width:640px){.bn{inset-inline:24px auto;bottom:24px;max-width:34rem;padding:20px 24px}}
h2{margin:0 0 8px;font-size:1.15em;line-height:1.3;min-width:0}
h3{margin:16px 0 8px;font-size:1em}
p{margin:0 0 12px}
a{color:var(--fg);text-underline-offset:2px}
.n{padding:8px 12px;border-inline-start:4px solid var(--ac);font-weight:600}
.bs{display:flex;flex-wrap:wrap;gap:8px;margin-top:4px}
.b{flex:1 1 8em;min-width:0;min-height:44px;padding:10px 14px;font:600 1em/1.2 var(--f);color:var(--ac);background:var(--bg);border:1px solid var(--ac);border-radius:calc(var(--r) - 4px);cursor:pointer}
.p{color:var(--af);background:var(--ac)}
.pp{flex:2 1 16em;display:grid;grid-template-columns:1fr 1fr;gap:8px;min-width:0}
.b:hover{filter:brightness(1.15)}
:focus-visible{outline:3px solid var(--fo);outline-offset:2px}
.o{inset:0;display:flex;align-items:center;justify-content:center;padding:12px;background:#000a}
.d{--px:24px;width:100%;max-width:40rem;max-height:100%;overflow:auto;padding:20px var(--px);box-shadow:0 8px 40px #0004}
.d:focus{outline:0}
@media(max-width:480px){.o{padding:8px 0 0;align-items:flex-end}.d{--px:16px;border-radius:var(--r) var(--r) 0 0}}
.h{display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
.x{flex:none;width:44px;height:44px;margin:-10px 0 0;margin-inline-end:-12px;font:28px/1 var(--f);color:var(--fg);background:none;border:0;border-radius:var(--r);cursor:pointer}
.ft{margin:16px calc(0px - var(--px)) -20px;padding:12px var(--px) 20px;background:var(--bg);border-top:1px solid var(--bd)}
@media(min-height:420px){.ft{position:sticky;bottom:-20px}}
.c{padding:12px 0;border-top:1px solid var(--bd)}
label{display:flex;align-items:center;gap:12px;font-weight:600;cursor:pointer}
.l{flex:1;min-width:0}
.lk{display:flex;align-items:center;gap:4px;font-size:.85em;color:var(--mu)}
.ic{width:12px;height:14px;fill:currentColor}
input{flex:none;appearance:none;position:relative;width:48px;height:28px;margin:0;border:2px solid var(--mu);border-radius:14px;background:var(--bg);cursor:pointer;transition:background .2s}
input:before{content:"";position:absolute;top:2px;inset-inline-start:2px;width:20px;height:20px;border-radius:50%;background:var(--mu);transition:transform .2s}
input:checked{border-color:var(--ac);background:var(--ac)}
input:checked:before{transform:translateX(20px);background:var(--af)}
:host([dir=rtl]) input:checked:before{transform:translateX(-20px)}
input:disabled{opacity:.5;cursor:not-allowed}
.m{color:var(--mu);font-size:.9em;font-weight:400}
.lb{min-height:32px;padding:0;font:600 .9em/1.2 var(--f);color:var(--fg);background:none;border:0;text-decoration:underline;text-underline-offset:2px;cursor:pointer}
.sv{list-style:none;margin:4px 0 0;padding-inline-start:16px;border-inline-start:2px solid var(--bd)}
.sv li{padding:8px 0}
input:indeterminate{border-color:var(--ac)}
input:indeterminate:before{transform:translateX(10px);background:var(--ac)}
:host([dir=rtl]) input:indeterminate:before{transform:translateX(-10px)}
.sd{display:block}
ul{margin:0 0 8px;padding-inline-start:20px}
li{margin-bottom:4px}
.sb{bottom:16px;inset-inline-start:16px;min-height:44px;padding:8px 16px;font-weight:600;border-radius:22px;box-shadow:0 2px 12px #0003;cursor:pointer}
.ph{display:flex;flex-direction:column;align-items:center;justify-content:center;gap:8px;width:100%;height:100%;padding:16px;overflow:auto;text-align:center;border:2px dashed var(--bd)}
.ph .bs{justify-content:center}
.ph .b{flex:0 1 auto}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
table{width:100%;border-collapse:collapse;font-size:.85em}
th,td{padding:6px 8px;text-align:start;vertical-align:top;border-bottom:1px solid var(--bd)}
th,td{overflow-wrap:normal}
td:nth-child(4),.u li,code{overflow-wrap:anywhere;hyphens:none}
@media(min-width:641px){td:nth-child(4){width:34%;min-width:12em}}
.ap{position:fixed;z-index:var(--z);inset-block:0;inset-inline-end:0;width:min(48rem,62%);overflow:auto;padding:16px 20px;border-radius:0;border-width:0;border-inline-start-width:1px;box-shadow:0 0 32px #0003;container-type:inline-size}
.ap:focus{outline:0}
@media(max-width:640px){.ap{inset-block-start:auto;width:100%;height:58vh;padding:12px 16px;border-radius:var(--r) var(--r) 0 0;border-width:1px 0 0}}
.st{display:inline-block;padding-inline-start:6px;border-inline-start:4px solid var(--sc);font-weight:600;white-space:nowrap}
[data-state=blocked]{--sc:#b35c00}[data-state=released]{--sc:#1a5fb4}[data-state=loaded]{--sc:#1d7a3d}[data-state=error]{--sc:#c0261e}
@media(prefers-color-scheme:dark){[data-state=blocked]{--sc:#f6a94b}[data-state=released]{--sc:#8cb8f5}[data-state=loaded]{--sc:#6fd08f}[data-state=error]{--sc:#ff8a80}}
.u{padding:8px 0;border-top:1px solid var(--bd)}
.cp{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:4px}
code{flex:1 1 16em;padding:6px 8px;font:.85em/1.4 ui-monospace,Menlo,Consolas,monospace;border:1px solid var(--bd);border-radius:6px;user-select:all}
.cp .b{flex:0 0 auto}
@container(max-width:36rem){thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}table,tbody,tr{display:block}tr{padding:6px 0;border-bottom:1px solid var(--bd)}td{display:grid;grid-template-columns:minmax(5em,30%) 1fr;gap:8px;padding:2px 0;border:0}td:before{content:attr(data-label);font-weight:600}}
@media(forced-colors:active){input{forced-color-adjust:none;border-color:CanvasText;background:Canvas}input:before{background:CanvasText}input:checked{border-color:Highlight;background:Highlight}input:checked:before{background:HighlightText}input:indeterminate{border-color:Highlight}input:indeterminate:before{background:Highlight}input:disabled{opacity:1;border-color:GrayText;background:GrayText}input:disabled:before{background:Canvas}:focus-visible{outline-color:Highlight}.n{border-color:CanvasText}}
@media(prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}`

let sheet: CSSStyleSheet | null | undefined

/**
 * Adopts the UI's stylesheet into a shadow root. One constructable sheet is shared by every root; it needs no
 * `<style>` element, so it works under `style-src 'self'`.
 * @param root a shadow root of the UI
 */
export function adoptStyles(root: ShadowRoot): void {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet()
      sheet.replaceSync(CSS)
    } catch {
      sheet = null // a browser without constructable stylesheets gets unstyled but working controls
    }
  }
  if (sheet) root.adoptedStyleSheets = [sheet]
}
