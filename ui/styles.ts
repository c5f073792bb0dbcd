// Theme: set any of these on the page (e.g. `:root { --minopio-accent: #7b2cbf }`); they inherit into the shadow roots.
//   --minopio-font, --minopio-bg, --minopio-fg, --minopio-muted, --minopio-accent, --minopio-accent-fg,
//   --minopio-border, --minopio-focus, --minopio-radius, --minopio-z
// Light and dark defaults below each meet 4.5:1 for text and 3:1 for controls and the focus ring.
const CSS = `:host{all:initial;--f:var(--minopio-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);--bg:var(--minopio-bg,#fff);--fg:var(--minopio-fg,#1b1c1f);--mu:var(--minopio-muted,#4b4f58);--ac:var(--minopio-accent,#0b57d0);--af:var(--minopio-accent-fg,#fff);--bd:var(--minopio-border,#767676);--fo:var(--minopio-focus,#b33c00);--r:var(--minopio-radius,10px);--z:var(--minopio-z,2147483000)}
@media(prefers-color-scheme:dark){:host{--bg:var(--minopio-bg,#1d1f23);--fg:var(--minopio-fg,#eceef1);--mu:var(--minopio-muted,#b9bdc6);--ac:var(--minopio-accent,#8ab4f8);--af:var(--minopio-accent-fg,#0b1a33);--bd:var(--minopio-border,#8b9099);--fo:var(--minopio-focus,#fdba74)}}
:host([data-minopio-placeholder]){display:block;max-width:100%}
*{box-sizing:border-box}
.bn,.d,.sb,.ph{font:15px/1.5 var(--f);color:var(--fg);background:var(--bg);border:1px solid var(--bd);border-radius:var(--r)}
.bn,.o,.sb{position:fixed;z-index:var(--z)}
.bn{left:8px;right:8px;bottom:8px;max-height:60vh;overflow:auto;padding:16px;box-shadow:0 6px 30px #0005;animation:u .25s ease-out}
@keyframes u{from{transform:translateY(24px);opacity:0}}
@media(min-width:640px){.bn{left:24px;right:auto;bottom:24px;max-width:36rem;padding:20px 24px}}
h2{margin:0 0 8px;font-size:1.2em;line-height:1.3}
h3{margin:16px 0 8px;font-size:1em}
p{margin:0 0 12px}
a{color:var(--ac);text-underline-offset:2px}
.n{padding:8px 12px;border-left:4px solid var(--ac);font-weight:600}
.bs{display:flex;flex-wrap:wrap;gap:8px;margin-top:4px}
.b{flex:1 1 100%;min-height:44px;padding:10px 16px;font:600 1em/1.2 var(--f);color:var(--ac);background:var(--bg);border:2px solid var(--ac);border-radius:var(--r);cursor:pointer}
@media(min-width:480px){.b{flex:1 1 0;white-space:nowrap}}
.p{color:var(--af);background:var(--ac)}
.b:hover{filter:brightness(1.1)}
:focus-visible{outline:3px solid var(--fo);outline-offset:2px}
.o{inset:0;display:flex;align-items:center;justify-content:center;padding:12px;background:#000b}
.d{width:100%;max-width:40rem;max-height:100%;overflow:auto;padding:20px 24px;box-shadow:0 6px 30px #0006}
.d.a{max-width:72rem}
.d:focus{outline:0}
.h{display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
.x{flex:none;width:44px;height:44px;margin:-10px -12px 0 0;font:28px/1 var(--f);color:var(--fg);background:none;border:0;border-radius:var(--r);cursor:pointer}
.c{padding:12px 0;border-top:1px solid var(--bd)}
label{display:flex;justify-content:space-between;align-items:center;gap:12px;font-weight:600;cursor:pointer}
input{flex:none;appearance:none;position:relative;width:48px;height:28px;margin:0;border:2px solid var(--mu);border-radius:14px;background:var(--mu);cursor:pointer;transition:background .2s}
input:before{content:"";position:absolute;top:2px;left:2px;width:20px;height:20px;border-radius:50%;background:var(--bg);transition:transform .2s}
input:checked{border-color:var(--ac);background:var(--ac)}
input:checked:before{transform:translateX(20px)}
input:disabled{cursor:not-allowed}
.m{color:var(--mu);font-size:.9em;font-weight:400}
ul{margin:0 0 8px;padding-left:20px}
.sb{bottom:16px;left:16px;min-height:44px;padding:8px 16px;font-weight:600;border-radius:22px;box-shadow:0 2px 12px #0004;cursor:pointer}
.ph{display:flex;flex-direction:column;align-items:center;justify-content:center;gap:8px;width:100%;height:100%;padding:16px;overflow:auto;text-align:center;border:2px dashed var(--bd)}
.ph .bs{justify-content:center}
.ph .b{flex:0 1 auto}
table{width:100%;border-collapse:collapse;font-size:.85em}
th,td{padding:6px 8px;text-align:left;vertical-align:top;border-bottom:1px solid var(--bd)}
td:nth-child(2){width:45%;min-width:14em}
td:nth-child(2),li{word-break:break-all}
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
