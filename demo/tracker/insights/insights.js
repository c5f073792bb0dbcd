// "Minopio Insights", the demo's analytics tag (third-party): a visitor id cookie and a page-view beacon.
(function () {
  var origin = new URL(document.currentScript.src).origin
  if (!/(^|; )_mi_id=/.test(document.cookie)) {
    document.cookie = '_mi_id=' + Math.random().toString(36).slice(2, 12) + '; path=/; max-age=31536000; samesite=lax'
  }
  var hit = JSON.stringify({ type: 'pageview', path: location.pathname, referrer: document.referrer, at: Date.now() })
  navigator.sendBeacon(origin + '/insights/collect', hit)
  ;(window.minopioDemoRan = window.minopioDemoRan || []).push({ tag: 'insights', at: Date.now() })
  window.dispatchEvent(new Event('minopio-demo:ran'))
})()
