// strbuild — build 300 strings of 1000..1299 comma-separated numbers by
// concatenation, and sum their lengths.
(function () {
  'use strict';
  function build(n) {
    let s = "";
    for (let i = 0; i < n; i++) s = s + String(i % 97) + ",";
    return s;
  }
  let acc = 0;
  for (let r = 0; r < 300; r++) acc += build(1000 + r).length;
  console.log(String(acc));
})();
