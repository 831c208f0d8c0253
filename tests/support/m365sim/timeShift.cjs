/**
 * Preloaded into the app under test (NODE_OPTIONS=--require ...) by the tenant
 * journey: moves the process's wall clock forward by the milliseconds written
 * in PT_SIM_CLOCK_FILE, re-read every 20 ms, so a session can end, a record
 * fall due and a reminder escalate without waiting days. Tenant mode has no
 * test clock (and must not): this stays in the tests. Timers are untouched.
 */
'use strict';
const fs = require('node:fs');

const file = process.env.PT_SIM_CLOCK_FILE;
if (file) {
  let offset = 0;
  const read = () => {
    try {
      const n = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isFinite(n)) offset = n;
    } catch {
      /* not written yet */
    }
  };
  read();
  setInterval(read, 20).unref();
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
