// The "Behind the scenes" panel: which third-party tags the gate holds and which actually ran, live. It reads the
// gate's registry (MinopioConsent.stores.$tags) and what the tags report themselves when they run.
(function () {
  var api = window.MinopioConsent
  var tracker = document.querySelector('meta[name="minopio-demo-tracker"]').content
  var TAGS = [
    { id: 'insights', name: 'Minopio Insights', what: 'analytics script, in the page markup', path: '/insights/insights.js' },
    { id: 'pixelwave', name: 'Pixelwave library', what: 'ad script site.js injects (rule)', path: '/ads/pixelwave.js' },
    { id: 'pixelwave-pixel', name: 'Pixelwave pixel', what: 'tracking image the library adds', path: '/ads/px.gif' },
    { id: 'kiln-video', name: 'Kiln Films player', what: 'video iframe', path: '/video/embed.html' },
    { id: 'verifeo-reviews', name: 'Verifeo reviews', what: 'partner widget iframe', path: '/partners/reviews.html' },
  ]
  var CATEGORY = {
    insights: 'analytics › Minopio Insights', pixelwave: 'marketing › Pixelwave', 'pixelwave-pixel': 'marketing › Pixelwave',
    'kiln-video': 'marketing › Kiln Films', 'verifeo-reviews': 'partners › Verifeo',
  }
  var REASONS = { loading: 'reading the cookie…', 'policy-changed': 'the policy changed', expired: 'the last one expired', unreadable: 'the cookie did not decrypt' }
  var ran = {}

  function el(tag, attrs) {
    var node = document.createElement(tag)
    for (var key in attrs || {}) key === 'text' ? (node.textContent = attrs[key]) : node.setAttribute(key, attrs[key])
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.append(arguments[i])
    return node
  }
  function fill(id, nodes) {
    document.getElementById(id).replaceChildren.apply(document.getElementById(id), nodes)
  }
  function ms(at) {
    return Math.max(0, Math.round(at - performance.timeOrigin)) + ' ms'
  }

  function status(tag, reports) {
    if (ran[tag.id]) return { cls: 'ran', text: 'ran at ' + ms(ran[tag.id]) }
    var report = null
    for (var i = 0; i < reports.length; i++) if (reports[i].url && reports[i].url.indexOf(tracker + tag.path) === 0) report = reports[i]
    if (!report) return { cls: 'idle', text: 'not requested' }
    if (report.state === 'blocked') return { cls: 'blocked', text: 'blocked (' + report.via + ')' }
    return { cls: 'released', text: report.state + (report.once ? ', once' : '') }
  }

  function render() {
    var reports = api ? api.stores.$tags.get() : []
    fill('tags', TAGS.map(function (tag) {
      var s = status(tag, reports)
      return el('li', { 'data-tag': tag.id, 'data-status': s.cls },
        el('span', { class: 'tag-name', text: tag.name }),
        el('span', { class: 'tag-what', text: tag.what + ' · ' + CATEGORY[tag.id] }),
        el('span', { class: 'badge badge--' + s.cls, text: s.text }))
    }).concat(reports.filter(function (r) { return /^(fetch|xhr|beacon)$/.test(r.kind) && r.state === 'blocked' }).map(function (r) {
      return el('li', { 'data-status': 'blocked' },
        el('span', { class: 'tag-name', text: 'Refused ' + r.kind }),
        el('span', { class: 'tag-what', text: String(r.url).replace(tracker, '') + ' · ' + r.category }),
        el('span', { class: 'badge badge--blocked', text: 'blocked (' + r.via + ')' }))
    })))

    var state = api ? api.get() : null
    var rows = []
    if (!state) rows.push(el('dt', { text: 'SDK' }), el('dd', { class: 'no', text: 'not loaded' }))
    else {
      rows.push(el('dt', { text: 'Decision' }), el('dd', { text: state.decided ? 'made (' + state.source + ')' : 'none yet' + (REASONS[state.reason] ? ' (' + REASONS[state.reason] + ')' : '') }))
      api.config.categories.forEach(function (c) {
        var on = !!state.categories[c.id]
        rows.push(el('dt', { text: c.id }), el('dd', { class: on ? 'yes' : 'no', text: on ? 'granted' : 'refused' }))
        // Services with an id are granted one by one: a visitor may allow Kiln Films and nothing else of marketing.
        c.services.forEach(function (service) {
          if (!service.id) return
          var yes = !!(state.services || {})[service.id]
          rows.push(el('dt', { class: 'service', text: '› ' + service.id }), el('dd', { class: yes ? 'yes' : 'no', text: yes ? 'granted' : 'refused' }))
        })
      })
      document.getElementById('my-history-item').hidden = !state.consentId
      if (state.consentId) document.getElementById('my-history').href = '/api/consent/' + state.consentId
    }
    fill('consent-state', rows)

    var cookies = document.cookie ? document.cookie.split('; ') : []
    fill('cookies', cookies.length ? cookies.map(function (pair) {
      var name = pair.split('=')[0]
      var value = pair.slice(name.length + 1)
      var note = name === 'minopio_consent' ? 'encrypted: ' + value.slice(0, 18) + '…' : value
      return el('li', null, el('code', { text: name }), el('span', { text: ' ' + note }))
    }) : [el('li', { class: 'none', text: 'none' })])
  }

  function mark(tag, at) {
    if (!ran[tag]) ran[tag] = at
  }
  function drain() {
    ;(window.minopioDemoRan || []).forEach(function (e) { mark(e.tag, e.at) })
    render()
  }
  window.addEventListener('minopio-demo:ran', drain)
  window.addEventListener('message', function (event) {
    if (event.origin !== tracker || !event.data || typeof event.data.minopioDemoRan !== 'string') return
    mark(event.data.minopioDemoRan, Date.now())
    render()
  })
  document.getElementById('withdraw').addEventListener('click', function () { api && api.withdraw().then(render) })
  document.getElementById('forget').addEventListener('click', function () { api && api.forget().then(render) })
  // The consent cookie is written after the state changes (it is encrypted first): show it when it lands.
  if (window.cookieStore) window.cookieStore.addEventListener('change', render)
  if (api) {
    api.stores.$tags.listen(render)
    api.stores.$consent.listen(render)
  }
  drain()
})()
