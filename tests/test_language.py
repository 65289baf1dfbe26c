"""Dutch throughout the Dutch interface, English throughout the English one.

Every page is rendered in each language with every part a reader can open (the scenario page's
sections, editor, library and goal seeking; the data page's tabs; the presenter view) and every text
the app writes itself (titles, labels, help, options, notices, table headers, chart titles and
legends) is searched for words of the other language. Data are not the app's text: a source's own
title, a cluster's name and a table's cells stay as recorded; notices of the import and of a bad
link are checked too.
"""

from __future__ import annotations

import json
import re

import pytest

from clusterpolicy import i18n
from tests.conftest import assert_page_ok, open_link

# words that are English and never Dutch (and the other way round), as whole words
ENGLISH = re.compile(
    r"\b(the|and|with|which|from|missing|unknown|file is|empty|expected|generated|imported_at|table_name|third party|"
    r"rows?|columns?|sheet|shown|scenarios to|choose|yearly|each|every|per cent|unreadable|error)\b",
    re.IGNORECASE,
)
DUTCH = re.compile(
    r"\b(het|een|voor de|van de|niet|wordt|worden|zijn|naar|tabel|jaren|rij|rijen|kolom|kolommen|bestand|geen|elk|"
    r"gepubliceerd|illustratief|bron|bronnen)\b",
    re.IGNORECASE,
)
OTHER = {"nl": ENGLISH, "en": DUTCH}

# how each page is opened, and what is opened on it
VIEWS = [
    (None, {}, {}),
    ("scenarios", {"sc_view": "costs"}, {"sc_editor": True, "sc_lib": True, "sc_goal": True}),
    ("scenarios", {"sc_view": "clusters"}, {}),
    ("scenarios", {"sc_view": "sensitivity"}, {}),
    ("scenarios", {"present": "1"}, {}),
    ("earmarked", {}, {}),
    ("kpis", {}, {}),
    ("cluster", {"c": "vil"}, {}),
    ("cluster", {"c": "sim"}, {}),
    ("data", {}, {}),
    ("data", {"data_table": "basic_funding"}, {}),
]

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _texts(node, out: list[tuple[str, str]]) -> None:
    """Every text the app wrote in an element tree: values, labels, help, options (not table cells)."""
    kind = type(node).__name__
    for attr in ("value", "label", "help", "placeholder"):
        try:
            v = getattr(node, attr)
        except Exception:  # noqa: BLE001 - an element without this attribute
            continue
        if isinstance(v, str) and v:
            out.append((kind, v))
    if kind == "Dataframe":
        out += [(kind, str(c)) for c in node.value.columns]
    try:
        out += [(kind, str(o)) for o in node.options]
    except Exception:  # noqa: BLE001
        pass
    if kind == "UnknownElement" and getattr(node, "type", "") == "plotly_chart":
        spec = json.loads(node.proto.spec)
        layout = spec["layout"]
        out.append(("chart", layout["title"]["text"] + " " + (layout["title"].get("subtitle") or {}).get("text", "")))
        out += [("chart", a.get("text", "")) for a in layout.get("annotations", [])]
        out += [("legend", str(tr.get("name", ""))) for tr in spec["data"]]
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            _texts(child, out)


def _foreign(text: str, lang: str) -> list[str]:
    """The other language's words in a text of the app, after leaving out what is data (a source's linked title)."""
    text = LINK.sub(" ", text)
    text = re.sub(r"`[^`]*`", " ", text)  # a code, a file or table name, shown as code
    text = re.sub(r"<[^>]+>", " ", text)
    return OTHER[lang].findall(text)


def _sources_line(text: str) -> bool:
    """A chart's source line: publishers and titles of sources, as recorded (data, not the app's text)."""
    plain = text.removeprefix(":small[")
    return plain.startswith(("Bron", "Source", "Illustratief", "Illustrative", "Afgeleid", "Derived", "Interne", "Internal"))


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("page, params, opened", VIEWS)
def test_every_page_speaks_one_language(seed_db, page, params, opened, lang):
    at = open_link(page, {"lang": lang, **params})
    for key, value in opened.items():
        at.session_state[key] = value
    at.run()
    assert_page_ok(at)
    out: list[tuple[str, str]] = []
    _texts(at.main, out)
    _texts(at.sidebar, out)
    assert len(out) > 10
    wrong = [(kind, text[:160], words) for kind, text in out if not _sources_line(text) and (words := _foreign(text, lang))]
    assert not wrong, wrong


def _page_texts(at) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    _texts(at.main, out)
    _texts(at.sidebar, out)
    return out


def _wrong(out, lang):
    return [(kind, text[:160], words) for kind, text in out if not _sources_line(text) and (words := _foreign(text, lang))]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_bad_link_is_refused_in_one_plain_sentence_of_the_readers_language(seed_db, lang):
    at = open_link("scenarios", {"lang": lang, "cs": "eNqLrlZKTs3MycxLj08tLVKysjQz"}).run()  # cut short
    assert_page_ok(at)
    notices = [w.value for w in at.warning]
    assert notices[0] == i18n.t("link.bad_scenarios", lang)
    assert not _wrong([("warning", n) for n in notices], lang)
    assert not re.search(r"Error|decompress|zlib|base64", notices[0])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_stewards_data_page_after_an_import_speaks_the_readers_language(data_dir, lang):
    """The import tab (schema, versions, import log), the audit trail and the data version's origin line."""
    from clusterpolicy.data import importer
    from clusterpolicy.data.access import Actor

    csv = "cluster_id;year;kpi_id;value;source_id\nvil;2023;diffusion_reach;131;illus_kpi\n"
    result = importer.import_file("kpi_value", csv.encode(), "jaar-2023.csv", actor=Actor.command_line())
    assert result.applied, [p.text(lang) for p in result.problems]
    for tab in ("data.import_tab", "data.audit_tab", "data.tables_tab", "data.sources_title"):
        at = open_link("data", {"lang": lang})
        at.session_state["data_tab"] = i18n.t(tab, lang)
        at.run()
        assert_page_ok(at)
        out = _page_texts(at)
        assert not _wrong(out, lang), (tab, _wrong(out, lang))
        line = next(text for _, text in out if i18n.t("data.version_line", lang).split("`")[0] in text)
        line = line.replace("\\", "")  # markdown escapes, as shown in the browser
        assert "jaar-2023.csv" in line and "upsert" not in line and (lang == "en" or " from " not in line), line


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("what", ["workbook", "table"])
def test_a_file_of_the_wrong_type_is_refused_on_the_page_in_the_readers_language(data_dir, what, lang):
    """Streamlit's own refusal of a type is an English tooltip; the page says it in the reader's language."""
    at = open_link("data", {"lang": lang})
    at.session_state["data_tab"] = i18n.t("data.import_tab", lang)
    at.run()
    if what == "table":
        at.segmented_control(key="imp_what").set_value("table").run()
    at.file_uploader(key="imp_file").upload("nota.pdf", b"%PDF-1.4 not data", "application/pdf").run()
    assert_page_ok(at, errors_allowed=True)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "nota.pdf" in errors[0] and ".xlsx" in errors[0], errors
    assert not _wrong([("error", errors[0])], lang)
    assert "imp_go" not in [b.key for b in at.button]  # nothing to import


@pytest.mark.parametrize(
    "n, noun, nl, en",
    [
        (1, "problem", "1 probleem", "1 problem"),
        (3, "problem", "3 problemen", "3 problems"),
        (1, "row", "1 rij", "1 row"),
        (0, "scenario", "0 bewaarde scenario's", "0 saved scenarios"),
        (1, "scenario", "1 bewaard scenario", "1 saved scenario"),
        (1024, "row", "1.024 rijen", "1,024 rows"),
    ],
)
def test_a_count_agrees_with_its_number(n, noun, nl, en):
    assert (i18n.count(n, noun, "nl"), i18n.count(n, noun, "en")) == (nl, en)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_illustrative_mark_names_amounts_only_on_a_chart_of_money(seed_db, lang):
    at = open_link("kpis", {"lang": lang}).run()  # members (a count), attainment (a share), coverage
    assert_page_ok(at)
    money, values = i18n.t("chart.illustrative_mark", lang), i18n.t("chart.illustrative_mark_values", lang)
    marks = [a["text"] for el in at.get("plotly_chart") for a in json.loads(el.proto.spec)["layout"].get("annotations", [])]
    assert any(values in m for m in marks) and not any(money in m for m in marks), marks
    at = open_link("scenarios", {"lang": lang}).run()
    marks = [a["text"] for el in at.get("plotly_chart") for a in json.loads(el.proto.spec)["layout"].get("annotations", [])]
    assert any(money in m for m in marks), marks


def test_export_file_names_read_as_the_view(seed_db):
    from tests.conftest import made_export

    at = open_link("scenarios", {"lang": "nl"}).run()
    name = made_export(at, "pdf").file_name
    assert re.fullmatch(r"financieringsscenarios-basiswerking-\d{4}-\d\d-\d\d\.pdf", name), name


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_single_table_import_form_explains_its_columns_in_the_readers_language(data_dir, lang):
    at = open_link("data", {"lang": lang})
    at.session_state["data_tab"] = i18n.t("data.import_tab", lang)
    at.run()
    at.segmented_control(key="imp_what").set_value("table").run()
    assert_page_ok(at)
    docs = next(d.value for d in at.dataframe if i18n.t("workbook.col_meaning", lang) in d.value.columns)
    assert list(docs.columns) == [i18n.t(f"workbook.col_{c}", lang) for c in ("column", "meaning", "type", "required")]
    cells = " ".join(map(str, docs.iloc[:, 1:].to_numpy().ravel()))  # the column names themselves are the contract's
    assert not _foreign(cells, lang), _foreign(cells, lang)
    assert not _wrong(_page_texts(at), lang)


@pytest.mark.parametrize(
    "page, params", [("scenarios", {}), ("kpis", {}), ("cluster", {"c": "vil"}), (None, {}), ("earmarked", {})]
)
def test_every_dutch_export_is_dutch(seed_db, page, params):
    """The files a Dutch-speaking presenter sends: no English word in the PDF, PPTX, XLSX, HTML or CSV."""
    from tests.conftest import made_export
    from tests.test_verdict import _texts

    at = open_link(page, {"lang": "nl", **params}).run()
    assert_page_ok(at)
    for kind in ("pdf", "pptx", "xlsx", "html", "csv"):
        text = _texts(kind, made_export(at, kind).data)
        if kind == "html":
            text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)  # Plotly's own code
            text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"https?://\S+", " ", text)  # a source's address
        lines = [line[:160] for line in text.splitlines() if ENGLISH.search(line)]
        assert not lines, (kind, lines[:5])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_imports_messages_speak_the_readers_language_and_agree_with_their_number(data_dir, lang):
    from clusterpolicy.data import build, importer
    from clusterpolicy.data.access import Actor

    files = {
        "leeg.csv": b"",
        "een-kolom-mist.csv": b"cluster_id;kpi_id;year;source_id\nvil;diffusion_reach;2023;illus_kpi\n",
        "twee-onbekend.csv": b"cluster_id;kpi_id;jaar;waarde;source_id\nvil;diffusion_reach;2023;5;illus_kpi\n",
        "slechte-rij.csv": b"cluster_id;kpi_id;year;value;source_id\nvil;diffusion_reach;twintig;5;illus_kpi\n",
    }
    texts = []
    for name, data in files.items():
        with pytest.raises(build.ValidationError) as refused:
            importer.import_file("kpi_value", data, name, actor=Actor.command_line())
        texts += [p.text(lang) for p in refused.value.problems]
    assert len(texts) >= 4
    assert not [t for t in texts if _foreign(t, lang)], texts
    singular = {"nl": "ontbrekende kolom: value", "en": "missing column: value"}[lang]
    assert any(singular in t for t in texts), texts
    assert not any("(s)" in t or "(men)" in t for t in texts), texts
