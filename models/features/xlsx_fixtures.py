"""Writes small .xlsx workbooks and pandas' own reading of them, for the readXlsx parity
test and as the xlsx fuzz target's seeds.

Run with Debian's interpreter (pandas 1.5.3, openpyxl 3.0.9):  /usr/bin/python3 models/features/xlsx_fixtures.py
Writes models/features/xlsx/*.xlsx and models/features/xlsx/expected.json.
Some workbooks are written by openpyxl; the others from SpreadsheetML written out here, to
cover what openpyxl does not write (inline and rich strings, phonetic runs, cached formula
results, t="d" cells, the 1904 date system, cells without references, gaps).
"""
import datetime as dt
import json
import math
import os
import zipfile

import openpyxl
import pandas as pd

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xlsx")
os.makedirs(OUT, exist_ok=True)


def openpyxl_book():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "kinds"
    ws.append(["id", "n", "when", "flag", "err", "", "n"])
    ws.append(["00123", 1.5, dt.datetime(2011, 10, 30, 16, 17), True, "#N/A", 7, 1])
    ws.append(["A7", None, dt.datetime(1999, 12, 31), False, 2, None, 2])
    ws.append(["x&<y>", -3, dt.datetime(2020, 2, 29, 23, 59, 59), True, None, 9, 3])
    ws.append([None, None, None, None, None, None, None])
    ws.append(["last", 1e-300, dt.datetime(1970, 1, 1), False, 4, 10, 4])
    ws.append([None, None, None, None, None, None, None])
    second = wb.create_sheet("second")
    second.append(["customer_id", "age"])
    for i in range(6):
        second.append([f"c{i:031x}", 20 + i])
    wb.save(os.path.join(OUT, "openpyxl-kinds.xlsx"))


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook(pr=""):
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS}>{pr}<sheets><sheet name="raw" sheetId="1" r:id="rId1"/></sheets></workbook>'


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm"/><numFmt numFmtId="165" formatCode="&quot;m&quot;0.00"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>"""

SHARED = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst {NS} count="999999" uniqueCount="999999"><si><t>name</t></si><si><t>when</t></si><si><t>amount</t></si><si><t>kind</t></si><si><r><t>Hel</t></r><r><rPr><b/></rPr><t xml:space="preserve">lo </t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si><si><t>caf&#233; &amp; &#x1F600;</t></si><si><t><![CDATA[a<b]]></t></si></sst>"""

# Rows: a gap (row 4), a row without cell references, a trailing empty row, a declared
# dimension far larger than the data.
SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>
<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" s="1"><v>40847.5</v></c><c r="C2" s="3"><v>12.25</v></c><c r="D2" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>
<row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" s="2"><v>36525.75</v></c><c r="C3"><f>C2*2</f><v>24.5</v></c><c r="D3" t="str"><f>"fo"&amp;"rmula"</f><v>formula</v></c></row>
<row r="5"><c t="s"><v>6</v></c><c s="1"><v>1</v></c><c><v>-0.5</v></c><c t="e"><v>#DIV/0!</v></c></row>
<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve"> padded </t></is></c><c r="B6" t="d"><v>2011-12-09T12:30:00</v></c><c r="C6"><f>1/0</f></c><c r="D6" t="str"><v>x</v></c></row>
<row r="7"><c r="A7" s="1"/></row>
</sheetData></worksheet>"""

BOOLS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet {NS}><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>flag</t></is></c><c r="B1" t="inlineStr"><is><t>n</t></is></c><c r="D1" t="inlineStr"><is><t>flag</t></is></c></row>
<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2"><v>1E3</v></c><c r="D2" t="b"><v>0</v></c></row>
<row r="3"><c r="A3" t="b"><v>0</v></c><c r="B3"><v>2.5e-1</v></c><c r="E3"><v>5</v></c></row>
</sheetData></worksheet>"""

# Row 1 and 2 absent: pandas still takes row 1 as the (empty) header. D4 has raw CR LF and
# CR (read as LF, XML end-of-line handling) and a written &#13; (kept).
LATE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet {NS}><sheetData>
<row r="3"><c r="B3" t="inlineStr"><is><t>h</t></is></c></row>
<row r="4"><c r="B4"><v>1</v></c><c r="C4" t="inlineStr"><is><t>x</t></is></c><c r="D4" t="inlineStr"><is><t>a\r\nb\rc&#13;d</t></is></c></row>
</sheetData></worksheet>"""


def raw_book(path, sheet, pr="", shared=True):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES if shared else CONTENT_TYPES.replace('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>', ""))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook(pr))
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS if shared else WB_RELS.replace('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>', ""))
        z.writestr("xl/styles.xml", STYLES)
        if shared:
            z.writestr("xl/sharedStrings.xml", SHARED)
        z.writestr("xl/worksheets/sheet1.xml", sheet)


openpyxl_book()
raw_book(os.path.join(OUT, "raw-cells.xlsx"), SHEET)
raw_book(os.path.join(OUT, "raw-1904.xlsx"), SHEET, pr='<workbookPr date1904="1"/>')
raw_book(os.path.join(OUT, "raw-bools.xlsx"), BOOLS, shared=False)
raw_book(os.path.join(OUT, "raw-late-header.xlsx"), LATE, shared=False)


def plain(v):
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return {"date": v.isoformat(timespec="milliseconds") + "Z"}
    if isinstance(v, dt.datetime):
        return {"date": v.isoformat(timespec="milliseconds") + "Z"}
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v


expected = {}
for name, sheet in [("openpyxl-kinds.xlsx", 0), ("openpyxl-kinds.xlsx", "second"), ("raw-cells.xlsx", 0), ("raw-1904.xlsx", 0), ("raw-bools.xlsx", 0), ("raw-late-header.xlsx", 0)]:
    df = pd.read_excel(os.path.join(OUT, name), sheet_name=sheet)
    expected[f"{name}#{sheet}"] = {
        "file": name,
        "sheet": sheet + 1 if isinstance(sheet, int) else sheet,
        "columns": [str(c) for c in df.columns],
        "dtypes": [str(t) for t in df.dtypes],
        "rows": [[plain(v) for v in row] for row in df.itertuples(index=False)],
    }
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
