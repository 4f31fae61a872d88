"""Reading uploaded Excel workbooks: safe opening (`workbook`) and cell readers (`cells`)."""

from .cells import CellError, ChoiceReader, Problem, read_bool, read_choice, read_date, read_int, read_money, read_text
from .workbook import (
    Header,
    HeaderError,
    RowReader,
    Sheet,
    Workbook,
    WorkbookError,
    iter_rows,
    located,
    open_workbook,
    read_header,
)

__all__ = [
    "CellError",
    "ChoiceReader",
    "Header",
    "HeaderError",
    "Problem",
    "RowReader",
    "Sheet",
    "Workbook",
    "WorkbookError",
    "iter_rows",
    "located",
    "open_workbook",
    "read_bool",
    "read_choice",
    "read_date",
    "read_header",
    "read_int",
    "read_money",
    "read_text",
]
