import { getCountries, getCountryCallingCode, getExampleNumber } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { describe, expect, it } from "vitest";
import { mayBePhone } from "../../src/inbound/cards/fields";
import { normalisePhone } from "../../src/lib/phone";

describe("mayBePhone", () => {
  it("skips date and time runs under +1", () => {
    for (const run of ["2023 14", "2021 14", "04.07.2024 17.45", "127.0.0.1", "333-6785674351"]) expect(mayBePhone(run, "US"), run).toBe(false);
  });

  it("asks libphonenumber about anything that could be a number", () => {
    for (const run of ["310-1234", "415 555 0100", "1 415 555 0100", "+44 20 7946 0958", "00 44 20 7946 0958", "011 44 20 7946 0958"]) {
      expect(mayBePhone(run, "US"), run).toBe(true);
    }
  });

  // The shortcut mirrors how libphonenumber reads a number; this checks it against
  // libphonenumber itself: a run it skips never normalises to a number.
  it("never skips a number libphonenumber would take, in any region", () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const punctuate = (digits: string): string => [...digits].map((d) => d + ["", "", " ", "-", ".", ")"][next(6)]).join("").trim();
    let skipped = 0;
    let valid = 0;
    for (const region of getCountries()) {
      const runs: string[] = [];
      const example = getExampleNumber(region, examples);
      if (example) {
        const national = example.nationalNumber;
        runs.push(national, example.formatNational(), example.number.slice(1), `0${national}`, `1${national}`, national.slice(1), national.slice(0, -1));
      }
      const code = getCountryCallingCode(region);
      for (const prefix of ["", "", "1", "0", code, `${code}1`, `${code}0`]) {
        for (let i = 0; i < 6; i++) {
          let digits = prefix + String(next(10));
          const length = 2 + next(13);
          while (digits.length < length) digits += String(next(10));
          runs.push(digits, punctuate(digits));
        }
      }
      for (const run of runs) {
        if (mayBePhone(run, region)) {
          if (normalisePhone(run, region)) valid++;
          continue;
        }
        skipped++;
        expect(normalisePhone(run, region), `${region} ${run}`).toBeUndefined();
      }
    }
    expect(skipped).toBeGreaterThan(1000);
    expect(valid).toBeGreaterThan(500);
  });
});
