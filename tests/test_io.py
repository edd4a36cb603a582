"""Reading CSV, Excel and DataFrames: delimiters, encodings, headers, ids, blank rows."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

import valuechain as vc
from tests.conftest import frame

HANDOFFS = "source,target,deliverable\nkitchen,floor,dishes\nfloor,diners,meal\n"
PARTIES = "id,name,kind\nkitchen,Kitchen,team\nfloor,Floor,team\ndiners,Diners,external_customer\n"


def edges(chain: vc.Chain) -> list[tuple[str, str]]:
    return list(zip(chain.handoffs["source"], chain.handoffs["target"]))


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_delimiters_and_line_endings(write, sep, newline):
    h = write("h.csv", HANDOFFS.replace(",", sep).replace("\n", newline))
    p = write("p.csv", PARTIES.replace(",", sep).replace("\n", newline))
    chain = vc.load(h, parties=p)
    assert edges(chain) == [("kitchen", "floor"), ("floor", "diners")]
    assert chain.handoffs["deliverable"].tolist() == ["dishes", "meal"]
    assert chain.parties["name"].tolist() == ["Kitchen", "Floor", "Diners"]


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF8, "utf-8"), (b"", "utf-8"), (b"", "utf-16")])
def test_utf8_with_or_without_bom_and_utf16(write, bom, encoding):
    text = "source;target\nCafé;Kunden\n"
    data = bom + text.encode(encoding)
    chain = vc.load(write("h.csv", data), customers=["Kunden"])
    assert chain.handoffs["source"].tolist() == ["Café"]
    assert chain.warnings == []


def test_other_encodings_are_detected_with_a_warning(write):
    text = "source,target,deliverable\n" + "".join(
        f"Réception,Clients,clés et reçus pour l'hôtel {i}\n" for i in range(3)
    )
    chain = vc.load(write("h.csv", text.encode("cp1252")), customers=["Clients"])
    assert chain.handoffs["source"].iloc[0] == "Réception"
    assert "reçus" in chain.handoffs["deliverable"].iloc[0]
    [w] = chain.warnings
    assert w.severity == "warning" and "not UTF-8" in w.message and w.file.endswith("h.csv")


def test_ids_stay_strings(write):
    h = write("h.csv", "source,target\n007,NA\nNULL,TRUE\n1.50,NA\n")
    chain = vc.load(h, customers=["NA"])
    assert chain.handoffs["source"].tolist() == ["007", "NULL", "1.50"]
    assert chain.handoffs["target"].tolist() == ["NA", "TRUE", "NA"]
    assert set(chain.graph.nodes) == {"007", "NA", "NULL", "TRUE", "1.50"}


def test_ids_are_trimmed_and_nfc_normalised_but_case_sensitive(write):
    h = write("h.csv", "source,target\n  Cafe\u0301 ,shop\ncafé,shop\nTEST,shop\ntest,shop\n")
    chain = vc.load(h, customers=["shop"])
    assert chain.handoffs["source"].tolist() == ["Café", "café", "TEST", "test"]
    assert len(chain.parties) == 5


def test_header_synonyms_case_spaces_and_underscores(write):
    h = write("h.csv", "FROM,Receiver,Work_Product,CRITICAL,cost centre\na,b,x,No,42\n")
    chain = vc.load(h, customers=["b"])
    row = chain.handoffs.iloc[0]
    assert (row["source"], row["target"], row["deliverable"], bool(row["essential"])) == ("a", "b", "x", False)
    assert row["cost centre"] == "42"  # an extra column, kept as written


def test_party_header_synonyms_and_extra_columns(write):
    h = write("h.csv", "source,target\na,b\n")
    p = write(
        "p.csv", "Party ID,Display-Name,Party Type,Department,Location\na,Alpha,,Ops,Oslo\nb,Beta,External Customer,,\n"
    )
    chain = vc.load(h, parties=p)
    assert chain.parties.to_dict("list") | {} == {
        **chain.parties.to_dict("list"),
        "id": ["a", "b"],
        "name": ["Alpha", "Beta"],
        "kind": ["team", "external_customer"],
        "group": ["Ops", None],
        "Location": ["Oslo", ""],
    }
    assert chain.graph.nodes["a"]["Location"] == "Oslo"


def test_canonical_header_wins_over_a_synonym(write):
    h = write("h.csv", "from,source,target\nx,a,b\n")
    chain = vc.load(h, customers=["b"])
    assert chain.handoffs["source"].tolist() == ["a"]
    assert chain.handoffs["from"].tolist() == ["x"]


def test_essential_values(write):
    values = ["yes", "No", "TRUE", "false", "y", "N", "1", "0", "", " Yes "]
    rows = "".join(f"a{i},c,{v}\n" for i, v in enumerate(values))
    chain = vc.load(write("h.csv", "source,target,essential\n" + rows), customers=["c"])
    assert chain.handoffs["essential"].tolist() == [True, False, True, False, True, False, True, False, True, True]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(write):
    h = write("h.csv", "source,target\n\na,c\n , \n,,\nb,c\n")
    chain = vc.load(h, customers=["c"])
    assert edges(chain) == [("a", "c"), ("b", "c")]
    assert chain.handoffs.index.tolist() == [3, 6]


def test_quoted_cells_with_delimiters_and_newlines(write):
    h = write("h.csv", 'source,target,deliverable\na,c,"pens, medium point"\nb,c,"two\nlines"\n')
    chain = vc.load(h, customers=["c"])
    assert chain.handoffs["deliverable"].tolist() == ["pens, medium point", "two\nlines"]
    assert chain.handoffs.index.tolist() == [2, 3]


def test_trailing_empty_columns_are_ignored(write):
    chain = vc.load(write("h.csv", "source,target,,\na,c,,\n"), customers=["c"])
    assert list(chain.handoffs.columns) == ["source", "target", "deliverable", "essential"]


def test_a_column_without_a_header_is_kept_with_a_warning(write):
    chain = vc.load(write("h.csv", "source,target,\na,c,note\n"), customers=["c"])
    assert chain.handoffs["column C"].tolist() == ["note"]
    assert any("no header" in w.message for w in chain.warnings)


def test_parties_inferred_from_handoffs_as_teams():
    chain = vc.load(frame([("a", "b"), ("b", "c")], "source,target"), customers=["c"])
    assert chain.parties[["id", "kind"]].values.tolist() == [["a", "team"], ["b", "team"], ["c", "external_customer"]]


def test_dataframes_with_numbers_and_missing_values():
    h = pd.DataFrame({"source": [7, 8], "target": ["c", "c"], "essential": [True, None]})
    chain = vc.load(h, customers=["c"])
    assert chain.handoffs["source"].tolist() == ["7", "8"]
    assert chain.handoffs["essential"].tolist() == [True, True]


def test_excel_workbook_with_both_sheets(tmp_path):
    path = tmp_path / "org.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"Source": ["007", "b"], "Target": ["b", "c"], "Essential": ["yes", "no"]}).to_excel(
            xl, sheet_name="Handoffs", index=False
        )
        pd.DataFrame(
            {"id": ["007", "b", "c"], "kind": ["team", "team", "external_customer"], "headcount": [3, 4, None]}
        ).to_excel(xl, sheet_name="parties", index=False)
    chain = vc.load(path)
    assert edges(chain) == [("007", "b"), ("b", "c")]
    assert chain.customers == ["c"]
    assert chain.parties["headcount"].tolist()[:2] == [3.0, 4.0]
    assert chain.analyze().summary["total_headcount"] == 7


def test_excel_one_workbook_per_table_and_numeric_cells(tmp_path):
    h, p = tmp_path / "h.xlsx", tmp_path / "p.xlsx"
    pd.DataFrame({"from": [7, 8], "to": ["c", "c"]}).to_excel(h, index=False, sheet_name="Sheet1")
    pd.DataFrame({"id": [7, 8, "c"], "kind": ["", "", "external_customer"]}).to_excel(p, index=False)
    chain = vc.load(h, parties=p)
    assert edges(chain) == [("7", "c"), ("8", "c")]


def test_excel_rows_are_numbered_as_excel_shows_them(tmp_path):
    path = tmp_path / "h.xlsx"
    pd.DataFrame({"source": ["a", None, "b"], "target": ["c", None, "zz"]}).to_excel(path, index=False)
    with pytest.raises(vc.InputError) as err:
        vc.load(path, parties=pd.DataFrame({"id": ["a", "b", "c"], "kind": ["", "", "external_customer"]}))
    [problem] = err.value.errors
    assert (problem.row, problem.column) == (4, "target")
    assert problem.file.endswith("h.xlsx [Sheet1]")


def test_rows_with_extra_empty_cells_are_read(write):
    chain = vc.load(write("h.csv", "source,target\na,c,,\nb,c\n"), customers=["c"])
    assert edges(chain) == [("a", "c"), ("b", "c")]


def test_every_row_with_extra_cells_is_reported(write):
    with pytest.raises(vc.InputError) as err:
        vc.load(write("h.csv", "source,target\na,c,x\nb,c\nd,c,y,z\n"), customers=["c"])
    assert [(p.row, p.message) for p in err.value.errors] == [
        (2, "this row has 3 cells but the header has 2"),
        (4, "this row has 4 cells but the header has 2"),
    ]


def test_uploaded_workbook_with_both_sheets(tmp_path):
    import io

    path = tmp_path / "org.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"source": ["a"], "target": ["c"]}).to_excel(xl, sheet_name="handoffs", index=False)
        pd.DataFrame({"id": ["a", "c"], "kind": ["team", "external_customer"]}).to_excel(
            xl, sheet_name="parties", index=False
        )
    upload = io.BytesIO(path.read_bytes())
    upload.name = "org.xlsx"
    chain = vc.load(upload)
    assert chain.customers == ["c"] and edges(chain) == [("a", "c")]


def test_uploaded_csv_files():
    import io

    h, p = io.BytesIO(b"from;to\na;c\n"), io.BytesIO("id,kind\na,\nc,external customer\n".encode("utf-16"))
    h.name, p.name = "handoffs.csv", "parties.csv"
    chain = vc.load(h, parties=p)
    assert chain.customers == ["c"] and edges(chain) == [("a", "c")]
