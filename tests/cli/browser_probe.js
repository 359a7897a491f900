// Measures a rendered report as a reader sees it; tests/cli/test_browser.sh appends this
// script to a copy of the page and reads what it writes back from chromium's --dump-dom.
// Writes one line per finding into a pre element, id cvkit-probe:
//   PAGE clientWidth scrollWidth        CHART n width height texts
//   OVERLAP n depth [text] [text]       two labels of chart n overlap by depth CSS px
//   CUT n [text]                        a label reaches outside its SVG
//   LABEL n text                        every label of chart n
//   TABLE n left right                  TEXT line   every line of the page's visible text
// A label's box is its getBBox() mapped through its transform (rotated labels stay
// rotated); two boxes overlap by the smallest penetration over the four axes of the two
// rectangles (separating axis test), so rotated neighbours that only share an
// axis-aligned bounding box do not count.
(function () {
   var out = [];
   function clean(s) { return String(s).replace(/\s+/g, " ").trim(); }
   function quad(el) {
      var b = el.getBBox(), m = el.getScreenCTM(), svg = el.ownerSVGElement, pts = [];
      var cs = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                [b.x, b.y + b.height]];
      for (var i = 0; i < 4; i++) {
         var p = svg.createSVGPoint();
         p.x = cs[i][0]; p.y = cs[i][1];
         p = p.matrixTransform(m);
         pts.push([p.x, p.y]);
      }
      return pts;
   }
   function project(q, ax) {
      var lo = Infinity, hi = -Infinity;
      for (var i = 0; i < 4; i++) {
         var d = q[i][0] * ax[0] + q[i][1] * ax[1];
         if (d < lo) lo = d;
         if (d > hi) hi = d;
      }
      return [lo, hi];
   }
   function depth(a, b) {
      var best = Infinity, qs = [a, b];
      for (var k = 0; k < 2; k++)
         for (var e = 0; e < 2; e++) {
            var dx = qs[k][e + 1][0] - qs[k][e][0], dy = qs[k][e + 1][1] - qs[k][e][1];
            var len = Math.sqrt(dx * dx + dy * dy);
            if (len === 0) return 0;
            var ax = [dx / len, dy / len], pa = project(a, ax), pb = project(b, ax);
            var o = Math.min(pa[1], pb[1]) - Math.max(pa[0], pb[0]);
            if (o < best) best = o;
         }
      return best;
   }
   var root = document.documentElement;
   out.push("PAGE " + root.clientWidth + " " + root.scrollWidth);
   var svgs = document.querySelectorAll("svg");
   for (var i = 0; i < svgs.length; i++) {
      var s = svgs[i], r = s.getBoundingClientRect(), ts = s.querySelectorAll("text"), boxes = [];
      out.push("CHART " + (i + 1) + " " + Math.round(r.width) + " " + Math.round(r.height) + " " +
               ts.length);
      for (var j = 0; j < ts.length; j++) {
         var t = clean(ts[j].textContent);
         out.push("LABEL " + (i + 1) + " " + t);
         if (t === "") continue;
         var q = quad(ts[j]);
         boxes.push([q, t]);
         for (var c = 0; c < 4; c++)
            if (q[c][0] < r.left - 0.5 || q[c][0] > r.right + 0.5 ||
                q[c][1] < r.top - 0.5 || q[c][1] > r.bottom + 0.5) {
               out.push("CUT " + (i + 1) + " [" + t + "]");
               break;
            }
      }
      for (var p = 0; p < boxes.length; p++)
         for (var n = p + 1; n < boxes.length; n++) {
            var d = depth(boxes[p][0], boxes[n][0]);
            if (d > 0)
               out.push("OVERLAP " + (i + 1) + " " + d.toFixed(1) + " [" + boxes[p][1] + "] [" +
                        boxes[n][1] + "]");
         }
   }
   var tabs = document.querySelectorAll("table");
   for (var k = 0; k < tabs.length; k++) {
      var tr = tabs[k].getBoundingClientRect();
      out.push("TABLE " + (k + 1) + " " + Math.round(tr.left) + " " + Math.round(tr.right));
   }
   var lines = document.body.innerText.split("\n");
   for (var m = 0; m < lines.length; m++)
      if (clean(lines[m]) !== "") out.push("TEXT " + clean(lines[m]));
   var pre = document.createElement("pre");
   pre.id = "cvkit-probe";
   pre.textContent = "\n" + out.join("\n") + "\n";
   document.body.appendChild(pre);
})();
