(function () {
  // A MathJax display formula wider than the card shrinks to fit, down to MIN of its size;
  // wider still, it scrolls in its own box (.ankify-math). Run again whenever a box changes
  // size: when MathJax has typeset it, and when the phone turns.
  var MIN = 0.6;
  function fit(box) {
    var math = box.querySelector("mjx-container > mjx-math, mjx-container > svg");
    if (!math) return;
    var scale = parseFloat(box.getAttribute("data-ankify-scale") || "1");
    var natural = math.getBoundingClientRect().width / scale;
    if (!natural) return;
    var wanted = Math.min(1, Math.max(MIN, (box.clientWidth - 1) / natural));
    if (Math.abs(wanted - scale) < 0.005) return;
    box.setAttribute("data-ankify-scale", String(wanted));
    box.style.fontSize = wanted === 1 ? "" : (wanted * 100).toFixed(2) + "%";
  }
  var boxes = document.querySelectorAll(".ankify-math");
  if (!boxes.length) return;
  function fitAll() {
    for (var i = 0; i < boxes.length; i++) fit(boxes[i]);
  }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) fit(entries[i].target);
    });
    for (var i = 0; i < boxes.length; i++) observer.observe(boxes[i]);
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(fitAll);
  }
  if (window.onShownHook && onShownHook.push) onShownHook.push(fitAll);
})();
