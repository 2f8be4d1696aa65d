"""A demo of the Flemish address register on loopback: real HTTP, the register's JSON.

It answers `GET /v2/adressen` (filters `gemeentenaam`, `straatnaam`, `huisnummer`, `busnummer`,
`postcode`, `niscode`, `status`; paging `offset`, `limit`) and `GET /v2/adressen/{objectId}` as the
Basisregisters Vlaanderen API does, from a made-up set: every street of the fictional Gemeente
Zonnedaal (postcodes 2645 and 2646) numbered 1 to 180, some with boxes, a proposed and a retired
address, and a few real-looking addresses in Antwerp and Ghent.

    python -m balie.authentic_sources.addresses.demo --port 8091

Tests start it in a thread (`DemoAddressRegister(port=0).start()`) and can make it slow (`delay`)
or failing (`fail_status`). It needs no Django.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balie.core.loopback import LoopbackServer

NAMESPACE = "https://data.vlaanderen.be/id/adres"
VERSION = "2025-11-14T09:30:00+01:00"
LIST_CONTEXT = "https://docs.basisregisters.vlaanderen.be/context/adres/2023-03-13/adres_list.jsonld"

# The streets of Zonnedaal; the same names as the demo data's (balie.demo.data.STREETS).
ZONNEDAAL_STREETS = [
    "Kerkstraat", "Dorpsstraat", "Stationsstraat", "Molenstraat", "Schoolstraat", "Kapelstraat",
    "Nieuwstraat", "Beekstraat", "Heidestraat", "Bosstraat", "Zonnelaan", "Lindenlaan", "Eikenlaan",
    "Kastanjelaan", "Berkenlaan", "Veldstraat", "Meidoornlaan", "Kouterstraat", "Hoogstraat", "Markt",
    "Gemeenteplein", "Prins Boudewijnlaan", "Koning Albertstraat", "Ter Heidelaan", "Vredestraat",
    "Akkerstraat", "Bloemenstraat", "Kloosterstraat", "Weversstraat", "Kasteeldreef", "Neerhofstraat",
    "Sint-Jozefstraat", "Boomgaardstraat", "Vlinderstraat", "Zonnedauwlaan",
]  # fmt: skip
HEIKANT_STREETS = ["Heikantstraat", "Watermolenweg", "Leliestraat", "Pastorijstraat", "Broekstraat"]
HOUSE_NUMBERS = 180


@dataclass(frozen=True)
class DemoAddress:
    object_id: int
    street: str
    street_id: int
    house_number: str
    box: str
    postcode: str
    municipality: str
    nis: str
    status: str = "inGebruik"

    @property
    def full_address(self) -> str:
        box = f" bus {self.box}" if self.box else ""
        return f"{self.street} {self.house_number}{box}, {self.postcode} {self.municipality}"


def _addresses() -> list[DemoAddress]:
    made: list[DemoAddress] = []
    next_id = 30_000_001

    def add(
        street: str, street_id: int, number: str, postcode: str, municipality: str, nis: str, **extra: str
    ) -> None:
        nonlocal next_id
        made.append(
            DemoAddress(
                next_id, street, street_id, number, extra.pop("box", ""), postcode, municipality, nis, **extra
            )
        )
        next_id += 1

    streets = [(name, "2645") for name in ZONNEDAAL_STREETS] + [(name, "2646") for name in HEIKANT_STREETS]
    for index, (street, postcode) in enumerate(streets):
        street_id = 900_001 + index
        for number in range(1, HOUSE_NUMBERS + 1):
            add(street, street_id, str(number), postcode, "Zonnedaal", "99001")
            if number % 25 == 0:  # a block of flats every 25 numbers
                for box in ("1", "2", "3", "4"):
                    add(street, street_id, str(number), postcode, "Zonnedaal", "99001", box=box)
    # A new allotment, still proposed; a house pulled down.
    add("Nieuwe Akker", 900_100, "1", "2645", "Zonnedaal", "99001", status="voorgesteld")
    add("Nieuwe Akker", 900_100, "3", "2645", "Zonnedaal", "99001", status="voorgesteld")
    add("Oude Molenweg", 900_101, "2", "2646", "Zonnedaal", "99001", status="gehistoreerd")
    # A few real-looking addresses elsewhere in Flanders.
    add("Grote Markt", 900_200, "1", "2000", "Antwerpen", "11002")
    add("Botermarkt", 900_201, "1", "9000", "Gent", "44021")
    add("Koningin Maria Hendrikaplein", 900_202, "70", "9000", "Gent", "44021")
    return made


def _key(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _name(spelling: str) -> dict[str, Any]:
    return {"geografischeNaam": {"spelling": spelling, "taal": "nl"}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the demo runs beside Balie's own output

    def do_GET(self) -> None:
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.fail_status:
            self._send(self.server.fail_status, self._problem(self.server.fail_status, "Demo: een storing."))
            return
        url = urllib.parse.urlsplit(self.path)
        params = {key: values[-1] for key, values in urllib.parse.parse_qs(url.query).items()}
        base = f"http://{self.headers.get('Host', '127.0.0.1')}"
        if url.path.rstrip("/") == "/v2/adressen":
            self._send(200, self._list(params, base))
        elif url.path.startswith("/v2/adressen/"):
            found = self.server.by_id.get(url.path.rsplit("/", 1)[-1])
            if found is None:
                self._send(404, self._problem(404, "Onbestaand adres."))
            else:
                self._send(200, self._detail(found, base))
        else:
            self._send(404, self._problem(404, "Onbekende bron."))

    def _problem(self, status: int, detail: str) -> dict[str, Any]:
        return {
            "type": "urn:be.vlaanderen.basisregisters.api:address:not-found"
            if status == 404
            else "urn:be.vlaanderen.basisregisters.api:error",
            "title": "Er heeft zich een fout voorgedaan.",
            "detail": detail,
            "status": status,
            "instance": f"http://127.0.0.1/foutmeldingen/{status}",
        }

    def _list(self, params: dict[str, str], base: str) -> dict[str, Any]:
        filters = {
            "gemeentenaam": lambda a, v: _key(a.municipality) == _key(v),
            "straatnaam": lambda a, v: _key(a.street) == _key(v),
            "huisnummer": lambda a, v: a.house_number == v,
            "busnummer": lambda a, v: a.box == v,
            "postcode": lambda a, v: a.postcode == v,
            "niscode": lambda a, v: a.nis == v,
            "status": lambda a, v: a.status.lower() == v.lower(),
        }
        found = [
            a
            for a in self.server.addresses
            if all(check(a, params[name]) for name, check in filters.items() if params.get(name))
        ]
        try:
            offset = max(0, int(params.get("offset", "0")))
            limit = min(500, max(1, int(params.get("limit", "100"))))
        except ValueError:
            offset, limit = 0, 100
        page = found[offset : offset + limit]
        answer: dict[str, Any] = {
            "@context": LIST_CONTEXT,
            "adressen": [
                {
                    "@type": "Adres",
                    "identificator": self._identificator(a),
                    "detail": f"{base}/v2/adressen/{a.object_id}",
                    "huisnummer": a.house_number,
                    **({"busnummer": a.box} if a.box else {}),
                    "volledigAdres": _name(a.full_address),
                    "adresStatus": a.status,
                }
                for a in page
            ],
        }
        if offset + limit < len(found):
            rest = {**params, "offset": str(offset + limit), "limit": str(limit)}
            answer["volgende"] = f"{base}/v2/adressen?{urllib.parse.urlencode(rest)}"
        return answer

    def _identificator(self, a: DemoAddress) -> dict[str, str]:
        return {
            "id": f"{NAMESPACE}/{a.object_id}",
            "naamruimte": NAMESPACE,
            "objectId": str(a.object_id),
            "versieId": VERSION,
        }

    def _detail(self, a: DemoAddress, base: str) -> dict[str, Any]:
        return {
            "@type": "Adres",
            "identificator": self._identificator(a),
            "gemeente": {
                "objectId": a.nis,
                "detail": f"{base}/v2/gemeenten/{a.nis}",
                "gemeentenaam": _name(a.municipality),
            },
            "postinfo": {"objectId": a.postcode, "detail": f"{base}/v2/postinfo/{a.postcode}"},
            "straatnaam": {
                "objectId": str(a.street_id),
                "detail": f"{base}/v2/straatnamen/{a.street_id}",
                "straatnaam": _name(a.street),
            },
            "huisnummer": a.house_number,
            **({"busnummer": a.box} if a.box else {}),
            "volledigAdres": _name(a.full_address),
            "adresStatus": a.status,
            "officieelToegekend": True,
        }

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        kind = "application/problem+json" if status >= 400 else "application/json"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    delay: float = 0.0
    fail_status: int | None = None
    addresses: list[DemoAddress]
    by_id: dict[str, DemoAddress]

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up waiting (a timeout) closed the connection: nothing to report.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class DemoAddressRegister(LoopbackServer):
    """The demo register, serving on 127.0.0.1 (port 0: any free port) in a background thread."""

    _server: _Server

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(_Server((host, port), _Handler), name="demo-address-register")
        self._server.addresses = _addresses()
        self._server.by_id = {str(a.object_id): a for a in self._server.addresses}

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def delay(self) -> float:
        return self._server.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self._server.delay = seconds

    @property
    def fail_status(self) -> int | None:
        return self._server.fail_status

    @fail_status.setter
    def fail_status(self, status: int | None) -> None:
        self._server.fail_status = status

    def serve_forever(self) -> None:
        """Serve in this thread (`main`), instead of `start()`."""
        self._server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Demo of the Flemish address register on loopback")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    options = parser.parse_args(argv)
    register = DemoAddressRegister(host=options.host, port=options.port)
    print(f"Demo-adressenregister op {register.url}/v2/adressen", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        register.serve_forever()


if __name__ == "__main__":
    main()
