// mandelbrot — escape-time iteration counts over a 300x300 grid (float loop).
(function () {
  'use strict';
  const SIZE = 300, LIMIT = 50;
  function escape(cr, ci, zr, zi, k) {
    const zr2 = zr * zr, zi2 = zi * zi;
    if (k === LIMIT || zr2 + zi2 > 4.0) return k;
    return escape(cr, ci, zr2 - zi2 + cr, 2.0 * zr * zi + ci, k + 1);
  }
  let acc = 0;
  for (let y = 0; y < SIZE; y++) {
    const ci = -1.5 + 3.0 * y / SIZE;
    for (let x = 0; x < SIZE; x++) acc += escape(-2.0 + 3.0 * x / SIZE, ci, 0.0, 0.0, 0);
  }
  console.log(String(acc));
})();
