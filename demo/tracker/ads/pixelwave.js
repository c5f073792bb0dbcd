// "Pixelwave", the demo's ad library (third-party): a retargeting cookie and a tracking pixel it adds with new Image().
(function () {
  var origin = new URL(document.currentScript.src).origin
  var id = (document.cookie.match(/(?:^|; )_pw_id=([^;]*)/) || [])[1]
  if (!id) {
    id = Math.random().toString(36).slice(2, 12)
    document.cookie = '_pw_id=' + id + '; path=/; max-age=7776000; samesite=lax'
  }
  var ran = function (tag) {
    ;(window.minopioDemoRan = window.minopioDemoRan || []).push({ tag: tag, at: Date.now() })
    window.dispatchEvent(new Event('minopio-demo:ran'))
  }
  var img = new Image(1, 1)
  img.onload = function () { ran('pixelwave-pixel') }
  img.src = origin + '/ads/px.gif?ev=PageView&uid=' + id + '&page=' + encodeURIComponent(location.pathname)
  ran('pixelwave')
})()
