// Prints, as JSON, the country list each installed release hands a page, read through the
// library's own API (not its data files: the builder reads those), so the attribution test
// checks the matcher against what sites really render. Run by tests/test_upstream_attribution.py.
"use strict";
const path = require("path");
const fs = require("fs");
const pkg = require("./package.json");

function load(alias) { return require(alias); }

const API = {
  "i18n-iso-countries": (m) => Object.entries(m.getNames("en")),
  "country-list": (m) => (typeof m === "function" ? m() : m).getData().map((r) => [r.code, r.name]),
  "countries-list": (m) => Object.entries(m.countries).map(([c, r]) => [c, r.name]),
  "world-countries": (m) => m.map((r) => [r.cca2, typeof r.name === "string" ? r.name : r.name.common]),
  "countries-and-timezones": (m) => Object.values(m.getAllCountries()).map((r) => [r.id, r.name]),
  "country-region-data": (m, dir) => {
    const data = m.allCountries || m.default || m.CountryRegionData || m;
    const rows = Array.isArray(data) ? data : JSON.parse(fs.readFileSync(path.join(dir, "data.json")));
    return rows.map((r) => Array.isArray(r) ? [r[1], r[0]] : [r.countryShortCode, r.countryName]);
  },
  "react-select-country-list": (m) => (m.default || m)().getData().map((r) => [r.value, r.label]),
  "iso-3166-1": (m) => m.all().map((r) => [r.alpha2, r.country]),
  "intl-tel-input": (m, dir) => {
    // The plugin names its countries from its English i18n module (data.js has codes only).
    const data = require(path.join(dir, "build/js/data.js"));
    const english = require(path.join(dir, "build/js/i18n/en"));
    const names = english.default || english;
    const rows = data.default || data;
    return { pairs: rows.map((r) => [r.iso2.toUpperCase(), (r.name || names[r.iso2]) + " +" + r.dialCode]),
             dial: Object.fromEntries(rows.map((r) => [r.iso2.toUpperCase(), "+" + r.dialCode])) };
  },
  "libphonenumber-js": (m, dir) => {
    // getCountries() exists from 1.2; before it, the same regions are the metadata's.
    const codes = m.getCountries ? m.getCountries()
      : Object.keys(require(path.join(dir, "metadata.min.json")).countries);
    const code = (c) => "+" + (m.getCountryCallingCode ? m.getCountryCallingCode(c)
      : require(path.join(dir, "metadata.min.json")).countries[c][0]);
    return { pairs: codes.map((c) => [c, code(c)]), dial: Object.fromEntries(codes.map((c) => [c, code(c)])) };
  },
  "country-data": (m) => m.countries.all.filter((r) => r.alpha2 && r.status !== "deleted").map((r) => [r.alpha2, r.name]),
  "country-codes-list": (m) => Object.entries(m.customList("countryCode", "{countryNameEn}")),
  "world_countries_lists": (m, dir) => JSON.parse(fs.readFileSync(path.join(dir, "data/countries/en/world.json")))
    .map((r) => [r.alpha2.toUpperCase(), r.name]),
};
const NEEDS_NO_MAIN = new Set(["world_countries_lists", "country-region-data"]);

const out = {};
for (const [alias, spec] of Object.entries(pkg.dependencies)) {
  const [, library, version] = spec.match(/^npm:(.+)@([^@]+)$/);
  const dir = path.join(__dirname, "node_modules", alias);
  try {
    const module = NEEDS_NO_MAIN.has(library) ? {} : load(alias);
    let found = API[library](module, dir);
    if (Array.isArray(found)) found = { pairs: found, dial: {} };
    out[alias] = { library, version, kind: found.dial && Object.keys(found.dial).length ? "phone" : "country",
                   pairs: found.pairs.map(([c, l]) => [String(c), Array.isArray(l) ? String(l[0]) : String(l)]),
                   dial: found.dial };
  } catch (error) {
    out[alias] = { library, version, error: String(error) };
  }
}
process.stdout.write(JSON.stringify(out));
