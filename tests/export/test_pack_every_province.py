"""Every province's pack in one run: one file per province with figures for the year, named by it, each the
same pack a single run builds (the same slides, words and pictures), and a summary of what was built."""

from __future__ import annotations

import hashlib

from pptx import Presentation

from ntm.export import pack as P
from ntm.read.scope import resolve_scope
from ntm.read.status import reporting_status
from tests.export.test_pack import run_cli


def content(path) -> list[tuple[str, str, list[str]]]:
    """Each slide as a person reads it: its section, every text and the hash of every picture."""
    out = []
    for slide in Presentation(path).slides:
        words, pictures = [], []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if shape.has_table:
                words += [c.text for row in shape.table.rows for c in row.cells]
            if shape.shape_type == 13:                  # a picture
                pictures.append(hashlib.sha256(shape.image.blob).hexdigest())
        out.append((slide.name, "\n".join(words), pictures))
    return out


def test_every_province_with_figures_gets_the_pack_a_single_run_builds(con, demo_db_path, tmp_path):
    status = reporting_status(con, 2026)
    with_figures = status[status["communes_reported"] + status["wards_reported"] > 0]
    folder = tmp_path / "packs"
    code, out, err = run_cli("pack", "--db", str(demo_db_path), "--all-provinces", "--year", "2026", "-o", str(folder))
    assert code == 0, err
    files = sorted(folder.glob("*.pptx"))
    assert [str(f) for f in files] == sorted(out.split())
    assert len(files) == len(with_figures) == 3                # the demo's new Quảng Ninh, Thanh Hóa, Quảng Ngãi
    for name in with_figures["province_name"]:
        scope = resolve_scope(con, with_figures.set_index("province_name").at[name, "province_code"], 2026)
        path = folder / P.pack_file_name(scope, 2026)
        assert path.exists(), path
        slides = content(path)
        assert scope.name in slides[0][1]
    assert "[1/3]" in err and "3/3" in err                    # progress, then the summary
    one = tmp_path / "one.pptx"
    code, _, err = run_cli("pack", "--db", str(demo_db_path), "--unit", "38", "--year", "2026", "-o", str(one))
    assert code == 0, err
    together = folder / P.pack_file_name(resolve_scope(con, "38", 2026), 2026)
    assert content(together) == content(one)


def test_one_worker_builds_the_same_packs_in_one_chromium(con, demo_db_path, tmp_path):
    folder = tmp_path / "one-worker"
    code, out, err = run_cli("pack", "--db", str(demo_db_path), "--all-provinces", "--year", "2026", "-o", str(folder),
                             "--workers", "1", "--sections", "overview,map,sources")
    assert code == 0, err
    files = sorted(folder.glob("*.pptx"))
    assert len(files) == 3 and [str(f) for f in files] == sorted(out.split())
    assert all(len(Presentation(f).slides) == 4 for f in files)        # the title and the three sections


def test_a_year_without_figures_builds_nothing_and_says_so(demo_db_path, tmp_path):
    code, out, err = run_cli("pack", "--db", str(demo_db_path), "--all-provinces", "--year", "2030", "-o",
                             str(tmp_path / "packs"))
    assert code == 1 and out == "" and "2030" in err
    assert not list((tmp_path / "packs").glob("*.pptx"))
