// Minopio's own site script: the cart, and the ad snippet marketing asked for. The snippet knows nothing about
// consent; the gate's rule for the ad host holds the library it injects.
(function () {
  var count = 0
  var out = document.getElementById('cart-count')
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button.add')
    if (!button) return
    count += 1
    out.textContent = String(count)
    button.textContent = 'Added ✓'
  })

  var tracker = document.querySelector('meta[name="minopio-demo-tracker"]').content
  var s = document.createElement('script')
  s.src = tracker + '/ads/pixelwave.js'
  s.async = true
  document.head.appendChild(s)
})()
