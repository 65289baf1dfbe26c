"""Exports: CSV in each language's convention parses back to the same numbers; XLSX keeps numbers as numbers; no formula runs."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from clusterpolicy import spreadsheet

FRAME = pd.DataFrame(
    {
        "cluster": ["VIL", '=HYPERLINK("http://evil.example")', "+cmd", "@SUM(A1)", "-2+3", "<b>bold</b>"],
        "year": [2024, 2024, 2023, 2022, 2021, 2020],
        "public_eur": [500000.5, 1234567.25, 0.0, 1.0, 2.0, 3.0],
    }
)


@pytest.mark.parametrize("lang, sep, decimal", [("nl", ";", ","), ("en", ",", ".")])
def test_csv_round_trip(lang, sep, decimal):
    data = spreadsheet.to_csv(FRAME, lang)
    assert data.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(data), sep=sep, decimal=decimal, encoding="utf-8-sig")
    assert back["public_eur"].tolist() == FRAME["public_eur"].tolist()
    assert back["year"].tolist() == FRAME["year"].tolist()
    if lang == "nl":
        assert "500000,5" in data.decode("utf-8-sig")


def test_csv_neutralises_formulas_and_keeps_text_literal():
    text = spreadsheet.to_csv(FRAME, "en").decode("utf-8-sig")
    for bad in ("=HYPERLINK", "+cmd", "@SUM", "-2+3"):
        assert f"'{bad}" in text
    assert "<b>bold</b>" in text


def test_xlsx_numbers_stay_numbers_and_no_formula(tmp_path):
    data = spreadsheet.to_xlsx({"funding": FRAME}, {"data_version": "abc123"})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["About this file", "funding"]
    ws = wb["funding"]
    assert [c.value for c in ws[1]] == ["cluster", "year", "public_eur"]
    assert ws["C2"].value == 500000.5 and ws["C2"].data_type == "n"
    assert ws["B3"].value == 2024 and isinstance(ws["B3"].value, int)
    for row in ws.iter_rows(min_row=2):
        assert row[0].data_type == "s"  # no cell is a formula
    assert ws["A3"].value.startswith("'=")
    info = {r[0].value: r[1].value for r in wb["About this file"].iter_rows()}
    assert info["data_version"] == "abc123" and "Generated" in info
    dutch = openpyxl.load_workbook(io.BytesIO(spreadsheet.to_xlsx({"funding": FRAME}, {"Dataversie": "abc123"}, lang="nl")))
    assert dutch.sheetnames[0] == "Over dit bestand"
    assert [r[0].value for r in dutch.worksheets[0].iter_rows()] == ["Gemaakt op", "Dataversie"]


def test_sheet_names_are_made_valid():
    data = spreadsheet.to_xlsx({"a/b:c*d?e[f]" + "x" * 40: FRAME.head(1)})
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert names[1] == ("a_b_c_d_e_f_" + "x" * 40)[:31]


def test_a_workbook_of_two_scenarios_with_one_name_opens_with_distinct_columns():
    """A saved scenario may carry a preset's name: the workbook keeps both columns, apart."""
    import io

    import openpyxl
    import pandas as pd

    from clusterpolicy import spreadsheet

    frame = pd.DataFrame([[1.5, 2.5]], columns=["Voortzetting", "Voortzetting"])
    long = "x" * 40
    data = spreadsheet.to_xlsx({"Parameters": frame, long: frame, long + "y": frame})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert [c.value for c in wb["Parameters"][1]] == ["Voortzetting", "Voortzetting (2)"]
    assert [c.value for c in wb["Parameters"][2]] == [1.5, 2.5]
    assert len(set(wb.sheetnames)) == len(wb.sheetnames) == 4
    csv = spreadsheet.to_csv(frame, "nl").decode("utf-8-sig")
    assert csv.splitlines()[0] == "Voortzetting;Voortzetting (2)"
