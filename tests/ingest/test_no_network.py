"""Reading an upload never reaches the network. A local HTTP listener stands for any address a file may
point to — a coordinate system linked from a GeoJSON, GeoPackage or Shapefile, a workbook's links and
external entities, PROJ's grid downloads — and must see no request, while each file is refused (or
warned about) with what to send instead."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyogrio
import pytest

from ntm.errors import BoundaryError
from ntm.ingest import boundaries
from ntm.ingest.boundaries import read_boundary_file
from ntm.ingest.yearly import validate_bytes
from ntm.text import t
from tests.ingest import damaged
from tests.ingest.test_stale_formulas import LINK, as_saved_by_excel

ROOT = Path(__file__).resolve().parents[2]
WGS84 = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
         'UNIT["degree",0.0174532925199433]]')


@pytest.fixture
def listener():
    """(address, requests): a server on this machine answering every request with a coordinate system."""
    requests: list[str] = []

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = WGS84.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def geojson(crs=None, geometry_crs=None, key: str = "crs", gdf=None, **members) -> bytes:
    """The two communes (or `gdf`) as GeoJSON, with a coordinate system on the collection and/or its first
    geometry."""
    doc = json.loads((damaged.communes() if gdf is None else gdf).to_json())
    if crs is not None:
        doc[key] = crs
    if geometry_crs is not None:
        doc["features"][0]["geometry"]["crs"] = geometry_crs
    return json.dumps({**doc, **members}).encode()


def refused_for_link(data: bytes, name: str, address: str) -> None:
    """The file is refused as pointing to `address`, in words that say what to send instead."""
    with pytest.raises(BoundaryError) as exc:
        read_boundary_file(data, name)
    assert exc.value.key == "boundary.crs_link" and address in exc.value.params["link"]
    assert exc.value.message("en") == t("boundary.crs_link", "en", file=name, link=exc.value.params["link"])
    assert ".prj" in exc.value.message("vi") and "EPSG" in exc.value.message("vi")


# ---------------------------------------------------------------------------------------------
# Boundary files

@pytest.mark.parametrize("build", [
    lambda url: geojson({"type": "link", "properties": {"href": f"{url}/crs.wkt", "type": "ogcwkt"}}),
    lambda url: geojson({"type": "url", "properties": {"url": f"{url}/crs"}}),
    lambda url: geojson({"TYPE": "LINK", "PROPERTIES": {"HREF": f"{url}/crs"}}, key="CRS"),
    lambda url: geojson(geometry_crs={"type": "link", "properties": {"href": f"{url}/crs"}}),
    lambda url: geojson({"type": "name", "properties": {"name": f"{url}/crs"}}),
    lambda url: geojson(key="coordRefSys", crs=f"{url}/crs",
                        conformsTo=["http://www.opengis.net/spec/json-fg-1/0.2/conf/core"]),
], ids=["link", "url", "upper_case", "on_a_geometry", "name_as_address", "json_fg"])
def test_a_geojson_whose_crs_points_to_an_address_is_refused_without_a_request(listener, build):
    url, requests = listener
    refused_for_link(build(url), "xa.geojson", url)
    assert requests == []


def test_ogc_names_written_as_addresses_are_names_not_links(listener):
    url, requests = listener
    data = geojson({"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/EPSG/0/4326"}})
    assert read_boundary_file(data, "xa.geojson").crs.to_epsg() == 4326
    assert requests == []


def test_a_geopackage_whose_crs_points_to_an_address_is_refused_without_a_request(listener, tmp_path):
    url, requests = listener
    path = tmp_path / "xa.gpkg"
    damaged.communes().to_file(path, driver="GPKG")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE gpkg_spatial_ref_sys SET organization = 'NONE', organization_coordsys_id = 99999, "
                    "definition = ? WHERE srs_id = 4326", (f"{url}/srs",))
    con.close()
    refused_for_link(path.read_bytes(), "xa.gpkg", url)
    assert requests == []


def test_a_shapefile_whose_prj_points_to_an_address_is_refused_without_a_request(listener, tmp_path):
    url, requests = listener
    refused_for_link(damaged.shapefile_zip(tmp_path, prj=f"{url}/xa.prj"), "xa.zip", url)
    assert requests == []


def test_gdal_itself_reads_offline(listener, tmp_path, monkeypatch):
    """Behind the checks, GDAL reads with its HTTP sent to a closed port of this machine (a host the
    environment's no_proxy lists would bypass it: the checks keep addresses away) and /vsicurl/ closed."""
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    url, requests = listener
    linked = tmp_path / "xa.geojson"
    linked.write_bytes(geojson({"type": "link", "properties": {"href": f"{url}/crs.wkt"}}))
    assert pyogrio.read_info(linked)["crs"] and requests == ["/crs.wkt"]   # GDAL alone fetches the link
    requests.clear()
    assert len(boundaries._open_with_gdal(linked)) == 2              # read, the link left unfollowed
    with pytest.raises(BoundaryError):
        boundaries._open_with_gdal(f"/vsicurl/{url}/xa.geojson")
    assert requests == []


def test_proj_downloads_no_grid_even_when_the_environment_allows_it(listener, tmp_path):
    """A file in NAD27 over the United States would make PROJ fetch a shift grid if its network were on
    (PROJ_NETWORK=ON, here pointed at the listener): reading it fetches nothing."""
    url, requests = listener
    gdf = damaged.communes()
    gdf.geometry = gdf.geometry.translate(-208, 26)           # over Kansas
    path = tmp_path / "nad27.geojson"
    path.write_bytes(geojson({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4267"}}, gdf=gdf))
    code = ("from ntm.ingest.boundaries import read_boundary_file\n"
            "from ntm.errors import BoundaryError\n"
            f"try:\n    read_boundary_file(open({str(path)!r}, 'rb').read(), 'nad27.geojson')\n"
            "except BoundaryError as exc:\n    print(exc.key)\n")
    env = {**os.environ, "PROJ_NETWORK": "ON", "PROJ_NETWORK_ENDPOINT": url,
           "PROJ_USER_WRITABLE_DIRECTORY": str(tmp_path / "proj")}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "boundary.outside_vietnam", r.stderr
    assert requests == []


# ---------------------------------------------------------------------------------------------
# Workbooks

def test_a_workbook_linked_to_an_address_is_read_without_a_request_and_warned_about(db, listener):
    url, requests = listener
    data = as_saved_by_excel(damaged.good_xlsx(), {"D3": "[1]Sheet1!A1", "E4": f'WEBSERVICE("{url}/so_ho_ngheo")'})
    links = "xl/externalLinks/_rels/externalLink1.xml.rels"
    linked = damaged.part(data, links).replace(LINK.encode(), f"{url}/so_lieu.xlsx".encode())
    data = damaged.rewrite(data, {links: linked})
    report = validate_bytes(db, data, "lien_ket.xlsx")
    assert requests == []
    warned = {(i.key, i.row, i.column) for i in report.warnings if i.key.startswith("read.formula")}
    assert warned == {("read.formula_workbook", 3, "Tổng số hộ"), ("read.formula_web", 4, "Số hộ nghèo")}
    assert all("Dán giá trị" in i.message(report.file_name, "vi") for i in report.warnings
               if i.key.startswith("read.formula"))


@pytest.mark.parametrize("part,root", [(damaged.SHEET, b"<worksheet"), ("xl/sharedStrings.xml", b"<sst"),
                                       ("xl/workbook.xml", b"<workbook")])
@pytest.mark.parametrize("declaration", ['<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/entity">]>',
                                         '<!DOCTYPE r SYSTEM "{url}/dtd">',
                                         '<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/p"> %p;]>'],
                         ids=["entity", "external_dtd", "parameter_entity"])
def test_a_workbook_declaring_external_entities_is_refused_without_a_request(db, listener, part, root, declaration):
    url, requests = listener
    data = damaged.good_xlsx()
    xml = damaged.part(data, part)
    head = b'<?xml version="1.0" encoding="UTF-8"?>' + declaration.format(url=url).encode()
    report = validate_bytes(db, damaged.rewrite(data, {part: head + xml[xml.index(root):]}), "thuc_the.xlsx")
    assert [(i.key, i.params) for i in report.issues] == [("read.xml_doctype", {"part": part})]
    assert "Excel" in report.issues[0].message(report.file_name, "vi")
    assert requests == []


def test_a_doctype_in_utf16_is_found_too(db, listener):
    url, requests = listener
    data = damaged.good_xlsx()
    xml = damaged.part(data, damaged.SHEET).decode()
    declared = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "{url}/e">]>' + xml
    report = validate_bytes(db, damaged.rewrite(data, {damaged.SHEET: declared.encode("utf-16")}), "u16.xlsx")
    assert [i.key for i in report.issues] == ["read.xml_doctype"] and requests == []
