# Makes cvkit's workbook fixtures with libraries other than cvkit's own (openpyxl, xlwt).
import datetime, openpyxl, xlwt
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Orders"
ws.append(["customer_id", "order_date", "amount", "paid", "note"])
rows = [("007", datetime.date(2024, 3, 5), 120.5, True, "first"),
        ("7", datetime.date(2024, 3, 6), 80, False, "says \"hi\", twice"),
        ("007", datetime.datetime(2024, 4, 1, 0, 0), 1234.25, True, None),
        ("12", datetime.date(1900, 1, 1), 99.99, False, "x")]
for r in rows:
    ws.append(list(r))
for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
    for c in row:
        c.number_format = "dd.mm.yyyy"
ws2 = wb.create_sheet("Costs")
ws2["B2"] = "activity"; ws2["C2"] = "cost"
ws2["B3"] = "picking"; ws2["C3"] = 2.5
ws2["B4"] = "packing"; ws2["C4"] = "#DIV/0!"
ws2["B5"] = "returns"; ws2["C5"] = 4
wb.save("book.xlsx")

# excel_like.xlsx: the parts as Excel writes them (shared strings with rich-text and
# phonetic runs, a prefixed namespace, the 1904 date system, built-in format 14 and a
# custom CJK date format), zipped by Python's zipfile.
import zipfile
parts = {
"[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
"_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
"xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Notes" sheetId="1" r:id="rId2"/><x:sheet name="\u9500\u552e" sheetId="2" r:id="rId1"/></x:sheets></x:workbook>',
"xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
"xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5"><x:si><x:t>customer</x:t></x:si><x:si><x:t>date</x:t></x:si><x:si><x:r><x:t>am</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>ount</x:t></x:r></x:si><x:si><x:t>\u5f20\u4e09</x:t><x:rPh sb="0" eb="2"><x:t>\u30c1\u30e3\u30f3</x:t></x:rPh></x:si><x:si><x:t xml:space="preserve">a, "b"\nc</x:t></x:si></x:sst>',
"xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:numFmts count="1"><x:numFmt numFmtId="176" formatCode="yyyy&quot;\u5e74&quot;m&quot;\u6708&quot;d&quot;\u65e5&quot;"/></x:numFmts><x:cellStyleXfs count="1"><x:xf numFmtId="14"/></x:cellStyleXfs><x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="14"/><x:xf numFmtId="176"/></x:cellXfs></x:styleSheet>',
"xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row><x:row r="2"><x:c r="A2" t="s"><x:v>3</x:v></x:c><x:c r="B2" s="1"><x:v>43895</x:v></x:c><x:c r="C2"><x:f>SUM(1,2)</x:f><x:v>3</x:v></x:c></x:row><x:row r="4"><x:c r="A4" t="str"><x:f>"x"</x:f><x:v>li</x:v></x:c><x:c r="B4" s="2"><x:v>43896.5</x:v></x:c><x:c r="C4"><x:v>0.1</x:v></x:c></x:row><x:row r="5"><x:c r="A5" t="s"><x:v>4</x:v></x:c><x:c r="B5" s="1"><x:v>43897</x:v></x:c><x:c r="C5" t="s"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>',
"xl/worksheets/sheet2.xml": '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>only notes</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>',
}
with zipfile.ZipFile("excel_like.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        z.writestr(name, text.encode("utf-8"))

# book.xls: the same orders as a BIFF8 workbook by xlwt
xb = xlwt.Workbook()
xs = xb.add_sheet("Orders")
datefmt = xlwt.easyxf(num_format_str="DD.MM.YYYY")
for j, h in enumerate(["customer_id", "order_date", "amount", "paid"]):
    xs.write(0, j, h)
for i, (cid, d, amt, paid, _) in enumerate(rows, start=1):
    xs.write(i, 0, cid)
    xs.write(i, 1, d if isinstance(d, datetime.datetime) else datetime.datetime(d.year, d.month, d.day), datefmt)
    xs.write(i, 2, amt)
    xs.write(i, 3, paid)
xb.add_sheet("Empty")
xb.save("book.xls")
