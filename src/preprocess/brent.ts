/** Result of {@link brentMinimize}. */
export interface BrentResult {
  x: number;
  fx: number;
  iterations: number;
  calls: number;
}

const GOLD = 1.618034;
const CGOLD = 0.381966;

/**
 * Brent's 1-D minimiser started from a downhill bracket search from (xa, xb), with the
 * constants and step rules of `scipy.optimize.brent` (tol 1.48e-8, 500 iterations), so it
 * lands on the same minimiser scikit-learn's PowerTransformer finds.
 *
 * @example
 * brentMinimize((x) => (x - 1) ** 2, -2, 2).x // ≈ 1
 */
export function brentMinimize(f: (x: number) => number, xa: number, xb: number, tol = 1.48e-8, maxIter = 500): BrentResult {
  let calls = 0;
  const call = (x: number) => {
    calls++;
    return f(x);
  };
  // --- bracket: walk downhill until f(xb) < f(xa) and f(xb) < f(xc)
  let fa = call(xa);
  let fb = call(xb);
  if (fa < fb) {
    [xa, xb] = [xb, xa];
    [fa, fb] = [fb, fa];
  }
  let xc = xb + GOLD * (xb - xa);
  let fc = call(xc);
  const growLimit = 110;
  for (let iter = 0; fc < fb; ) {
    const t1 = (xb - xa) * (fb - fc);
    const t2 = (xb - xc) * (fb - fa);
    const val = t2 - t1;
    const denom = Math.abs(val) < 1e-21 ? 2e-21 : 2 * val;
    let w = xb - ((xb - xc) * t2 - (xb - xa) * t1) / denom;
    const wlim = xb + growLimit * (xc - xb);
    if (iter > 1000) throw new RangeError('brentMinimize: no bracket found in 1000 steps');
    iter++;
    let fw: number;
    if ((w - xc) * (xb - w) > 0) {
      fw = call(w);
      if (fw < fc) {
        xa = xb; xb = w; fa = fb; fb = fw;
        break;
      } else if (fw > fb) {
        xc = w; fc = fw;
        break;
      }
      w = xc + GOLD * (xc - xb);
      fw = call(w);
    } else if ((w - wlim) * (wlim - xc) >= 0) {
      w = wlim;
      fw = call(w);
    } else if ((w - wlim) * (xc - w) > 0) {
      fw = call(w);
      if (fw < fc) {
        xb = xc; xc = w; w = xc + GOLD * (xc - xb);
        fb = fc; fc = fw;
        fw = call(w);
      }
    } else {
      w = xc + GOLD * (xc - xb);
      fw = call(w);
    }
    xa = xb; xb = xc; xc = w;
    fa = fb; fb = fc; fc = fw;
  }
  // --- Brent: parabolic steps when they behave, golden-section steps otherwise
  let x = xb, w = xb, v = xb;
  let fx = fb, fw = fb, fv = fb;
  let a = xa < xc ? xa : xc;
  let b = xa < xc ? xc : xa;
  let deltax = 0;
  let rat = 0;
  let iter = 0;
  const mintol = 1e-11;
  for (; iter < maxIter; iter++) {
    const tol1 = tol * Math.abs(x) + mintol;
    const tol2 = 2 * tol1;
    const xmid = 0.5 * (a + b);
    if (Math.abs(x - xmid) < tol2 - 0.5 * (b - a)) break;
    if (Math.abs(deltax) <= tol1) {
      deltax = x >= xmid ? a - x : b - x;
      rat = CGOLD * deltax;
    } else {
      const t1 = (x - w) * (fx - fv);
      let t2 = (x - v) * (fx - fw);
      let p = (x - v) * t2 - (x - w) * t1;
      t2 = 2 * (t2 - t1);
      if (t2 > 0) p = -p;
      t2 = Math.abs(t2);
      const previous = deltax;
      deltax = rat;
      if (p > t2 * (a - x) && p < t2 * (b - x) && Math.abs(p) < Math.abs(0.5 * t2 * previous)) {
        rat = (p * 1.0) / t2;
        const u = x + rat;
        if (u - a < tol2 || b - u < tol2) rat = xmid - x >= 0 ? tol1 : -tol1;
      } else {
        deltax = x >= xmid ? a - x : b - x;
        rat = CGOLD * deltax;
      }
    }
    const u = Math.abs(rat) < tol1 ? (rat >= 0 ? x + tol1 : x - tol1) : x + rat;
    const fu = call(u);
    if (fu > fx) {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w; w = u; fv = fw; fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u; fv = fu;
      }
    } else {
      if (u >= x) a = x;
      else b = x;
      v = w; w = x; x = u;
      fv = fw; fw = fx; fx = fu;
    }
  }
  return { x, fx, iterations: iter, calls };
}
