const out = document.getElementById('state')
const render = (state) => { out.textContent = JSON.stringify(state.categories) }
MinopioConsent.ready.then(render)
MinopioConsent.on('change', render)
