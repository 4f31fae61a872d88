"""Build good and bad upload files inside tests (openpyxl, zipfile and raw bytes)."""

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def xlsx(path: Path, sheets: dict[str, list], *, hidden=(), merged=None, very_hidden=()) -> Path:
    """A workbook with one sheet per entry of `sheets` (title → rows, each a list of values)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
        if title in very_hidden:
            sheet.sheet_state = "veryHidden"
        for cell_range in (merged or {}).get(title, ()):
            sheet.merge_cells(cell_range)
    book.save(path)
    return path


def xlsx_bytes(sheets: dict[str, list], **kwargs) -> bytes:
    buffer = io.BytesIO()
    xlsx(buffer, sheets, **kwargs)
    return buffer.getvalue()


def big_xlsx(path: Path, rows: int) -> Path:
    """A header and `rows` data rows, written with openpyxl's write-only mode (about 2 s for 100,000)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("走访记录")
    sheet.append(["姓名", "人数"])
    for number in range(rows):
        sheet.append([f"干部{number}", number])
    book.save(path)
    return path


def ole_file(path: Path, *stream_names: str) -> Path:
    """A compound-file (OLE) header and one directory sector naming the streams, as Excel writes
    them for an encrypted .xlsx ("EncryptionInfo", "EncryptedPackage") or an old .xls ("Workbook")."""
    header = OLE_MAGIC + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header = header.ljust(512, b"\x00")
    directory = b""
    for name in ("Root Entry", *stream_names):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little")
        directory += entry.ljust(128, b"\x00")
    path.write_bytes(header + directory.ljust(512, b"\x00") + bytes(4096))
    return path


def truncated(path: Path, source: bytes) -> Path:
    """The first half of a real workbook: a zip whose central directory is gone."""
    path.write_bytes(source[: len(source) // 2])
    return path


def damaged_member(path: Path, source: bytes, member: str = "xl/worksheets/sheet1.xml") -> Path:
    """A real workbook with one member's compressed bytes overwritten (its CRC no longer matches)."""
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        info = archive.getinfo(member)
        offset = info.header_offset
    data = bytearray(source)
    # local header: 30 bytes + name + extra; the compressed data follows
    name_length = int.from_bytes(data[offset + 26 : offset + 28], "little")
    extra_length = int.from_bytes(data[offset + 28 : offset + 30], "little")
    start = offset + 30 + name_length + extra_length
    for position in range(start + 20, min(start + info.compress_size - 4, start + 60)):
        data[position] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def zip_without_workbook(path: Path) -> Path:
    """A Word-like zip: an OOXML package, but not a spreadsheet."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
    return path
