"""REFI-QDA (.qdpx) in: an NVivo-style export (UTF-16 positions, two coders, overlapping and
same-range codings, memos) and a QualCoder-style one (code points) land as codings."""

from __future__ import annotations

from pathlib import Path

from annotator.services.interchange_import import detect_format, import_annotated
from annotator.services.project import Project
from annotator.storage.repositories.codings import CodingRepository
from tests.interchange.helpers import layers
from tests.interchange.qdpx_helpers import FIXTURES, codings_of, package

BUDGET = "Budget 😀 day 🇵🇰.\r\nImran Khan said the economy had failed.\r\nNawaz Sharif blamed the IMF 👍."


def _at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_an_nvivo_export_keeps_every_overlapping_coding_with_its_coder_and_memo(
    tmp_path: Path, project: Project
) -> None:
    path = package("nvivo", tmp_path / "budget.qdpx")
    assert detect_format([path]) == "qdpx"
    report = import_annotated(project, [path], coder="fallback")
    assert report.refused == [] and report.added == 2 and report.codings == 6
    assert report.entities == 0
    assert report.skipped == ["budget.qdpx: line 41: PictureSource 'Cartoon' skipped (only text "
                              "sources are imported)"]
    got = codings_of(project)
    sentence = _at(BUDGET, "Imran Khan said the economy had failed.")
    # UTF-16 positions (NVivo) are converted: the emoji and the flag before do not shift them
    assert got[BUDGET] == sorted([
        (*sentence, "blame", "Ayesha", "Khan frames the budget as failure"),
        (*sentence, "economy", "Ayesha", "Khan frames the budget as failure"),
        (*sentence, "economy", "Bilal", "Economy, not blame: he only reports."),
        (*_at(BUDGET, "Nawaz Sharif blamed the IMF"), "blame", "Bilal", ""),
        (*_at(BUDGET, "Imran Khan"), "politician", "Ayesha", ""),
    ])
    resigned = "Plain text with no emoji. The minister resigned."
    assert got[resigned] == [(*_at(resigned, "The minister resigned"), "politician", "Bilal", "")]
    with project.read_session() as session:
        codes = {c.name: c for c in CodingRepository(session).codes()}
    assert codes["economy"].parent == "Themes" and codes["economy"].color == "#1F77B4"
    assert codes["politician"].parent == "people"


def test_the_source_text_loses_its_byte_order_mark_and_keeps_crlf(tmp_path: Path, project: Project) -> None:
    import_annotated(project, [package("nvivo", tmp_path / "b.qdpx")])
    assert BUDGET in codings_of(project)  # no BOM in front, CRLF kept: offsets stay exact


def test_a_qualcoder_export_counts_code_points(tmp_path: Path, project: Project) -> None:
    path = package("qualcoder", tmp_path / "prices.qdpx")
    report = import_annotated(project, [path])
    assert report.refused == [] and report.codings == 2
    text = "Ümit 😀 said prices rose. 北京 agreed; خان disagreed."
    assert codings_of(project)[text] == [
        (*_at(text, "said prices rose"), "prices", "default", "memo on prices"),
        (*_at(text, "北京"), "places", "default", ""),
    ]


def test_importing_the_same_file_twice_adds_nothing(tmp_path: Path, project: Project) -> None:
    path = package("nvivo", tmp_path / "b.qdpx")
    import_annotated(project, [path])
    again = import_annotated(project, [path])
    assert again.added == 0 and again.merged == 2 and again.codings == 0
    assert sum(len(v) for v in codings_of(project).values()) == 6


def test_positions_decide_the_unit_when_the_origin_does_not_say(tmp_path: Path, project: Project) -> None:
    qde = (FIXTURES / "nvivo" / "project.qde").read_text(encoding="utf-8")
    qde = qde.replace('origin="NVivo 14.23.0"', 'origin="SomeTool"')
    # the last selection, counted in UTF-16 units, ends past the text's length in code points
    text = BUDGET
    end16 = len(text.encode("utf-16-le")) // 2
    qde = qde.replace("</TextSource>\n    <TextSource", f'''<PlainTextSelection guid="00000000-0000-4000-8000-0000000000ff"
     startPosition="{end16 - 3}" endPosition="{end16}"><Coding guid="00000000-0000-4000-8000-0000000000fe">
     <CodeRef targetGUID="00000014-0000-4000-8000-000000000014"/></Coding></PlainTextSelection>
    </TextSource>
    <TextSource''', 1)
    report = import_annotated(project, [package("nvivo", tmp_path / "b.qdpx", qde.encode())])
    assert report.refused == []
    # "👍." is 3 UTF-16 units and 2 code points; no creatingUser: the import's coder
    assert (len(text) - 2, len(text), "economy", "imported", "") in codings_of(project)[text]
    assert (*_at(text, "Imran Khan"), "politician", "Ayesha", "") in codings_of(project)[text]


def test_bad_sources_are_refused_by_name_and_line_and_the_rest_lands(tmp_path: Path, project: Project) -> None:
    qde = (FIXTURES / "nvivo" / "project.qde").read_text(encoding="utf-8")
    resignation = qde.index('name="Resignation"')
    qde = qde[:resignation] + qde[resignation:].replace(
        '<CodeRef targetGUID="00000018-0000-4000-8000-000000000018"/>',
        '<CodeRef targetGUID="0000abcd-0000-4000-8000-000000000017"/>')
    qde = qde.replace('endPosition="89"', 'endPosition="5000"', 1)
    report = import_annotated(project, [package("nvivo", tmp_path / "bad.qdpx", qde.encode())])
    assert len(report.refused) == 2
    assert report.refused[0].startswith("bad.qdpx: Budget day: line ")
    assert "ends past the end of the text" in report.refused[0]
    assert report.refused[1].startswith("bad.qdpx: Resignation: line ")
    assert "code 0000abcd-0000-4000-8000-000000000017, which is not in the codebook" in report.refused[1]
    assert codings_of(project) == {}  # nothing of a refused source stays
    assert layers(project) == {}


def test_a_damaged_zip_or_xml_is_refused_with_its_name(tmp_path: Path, project: Project) -> None:
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    bad_xml = package("qualcoder", tmp_path / "badxml.qdpx", b"<Project xmlns='urn:QDA-XML:project:1.0'")
    other = package("qualcoder", tmp_path / "other.qdpx", b"<Project xmlns='urn:example'/>")
    good = package("qualcoder", tmp_path / "good.qdpx")
    report = import_annotated(project, [broken, bad_xml, other, good], "qdpx")
    assert report.added == 1 and report.codings == 2
    assert len(report.refused) == 3
    assert report.refused[0].startswith(f"{broken}") and "is not a readable .qdpx" in report.refused[0]
    assert "not well-formed XML" in report.refused[1]
    assert "not a REFI-QDA <Project>" in report.refused[2]


def test_entity_attacks_are_refused_unexpanded(tmp_path: Path, project: Project) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              b'<Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>')
    xxe = (b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
    report = import_annotated(project, [package("qualcoder", tmp_path / "laughs.qdpx", laughs),
                                        package("qualcoder", tmp_path / "xxe.qdpx", xxe)], "qdpx")
    assert len(report.refused) == 2
    assert all("declares a DTD" in line for line in report.refused)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path, project: Project) -> None:
    import zipfile
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
        archive.writestr("Sources/big.txt", b"0" * (300 * 1024 * 1024))
    report = import_annotated(project, [bomb], "qdpx")
    assert len(report.refused) == 1 and "zip bomb" in report.refused[0]


def test_a_coders_package_keeps_only_that_coders_codings(tmp_path: Path, project: Project) -> None:
    from annotator.services.packages import make_package

    import_annotated(project, [package("nvivo", tmp_path / "b.qdpx")])
    path = project.path
    project.close()
    make_package(path, "Bilal", tmp_path / "bilal.annotator")
    with Project.open(tmp_path / "bilal.annotator") as bilal:
        kept = [c for codings in codings_of(bilal).values() for c in codings]
    assert {c[3] for c in kept} == {"Bilal"} and len(kept) == 3  # blind: nobody else's codings


def test_names_matching_in_code_points_overrule_an_nvivo_origin(tmp_path: Path, project: Project) -> None:
    qde = (FIXTURES / "qualcoder" / "project.qde").read_text(encoding="utf-8")
    qde = qde.replace('origin="QualCoder 3.5"', 'origin="NVivo 12"')
    import_annotated(project, [package("qualcoder", tmp_path / "p.qdpx", qde.encode())])
    text = "Ümit 😀 said prices rose. 北京 agreed; خان disagreed."
    assert [c[:3] for c in codings_of(project)[text]] == [(*_at(text, "said prices rose"), "prices"),
                                                           (*_at(text, "北京"), "places")]


def test_the_nvivo_fixture_survives_export_and_import(tmp_path: Path, project: Project) -> None:
    from annotator.services.interchange_export import export_annotated

    import_annotated(project, [package("nvivo", tmp_path / "b.qdpx")])
    summary = export_annotated(project, tmp_path / "again.qdpx", "qdpx")
    assert summary.codings == 6
    with Project(tmp_path / "second.annotator", create=True) as second:
        report = import_annotated(second, [tmp_path / "again.qdpx"])
        assert report.refused == [] and report.codings == 6
        assert codings_of(second) == codings_of(project)
        with second.read_session() as session:
            codes = {c.name: c.parent for c in CodingRepository(session).codes()}
        assert codes["economy"] == "Themes" and codes["politician"] == "people"
