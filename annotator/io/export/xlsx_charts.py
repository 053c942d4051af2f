"""Native Excel charts for a streamed sheet: a :class:`~annotator.io.export.sheets.Chart`
becomes an openpyxl bar chart (with lines over it) placed below the table.

A write-only worksheet keeps its charts and writes them when it is closed, so they are
added after the rows, when the block they cover is known. Charts refer to the sheet's
cells, so a reader who corrects a value sees the chart follow.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series

from annotator.domain.errors import ExportError
from annotator.io.export.sheets import Chart, Sheet

CHART_WIDTH_CM, CHART_HEIGHT_CM = 18.0, 9.0
ROWS_PER_CHART = 20  # a 9 cm chart covers about 18 default rows; 2 rows between charts


def add_charts(worksheet, sheet: Sheet, written: int) -> None:  # type: ignore[no-untyped-def]
    """Add ``sheet.charts`` to ``worksheet``, one under the other below its ``written`` rows."""
    names = [column.name for column in sheet.columns]
    placed = 0
    for chart in sheet.charts:
        first, last = chart.first_row, min(chart.last_row, written)
        if last < first:
            continue
        drawing = _bar_chart(worksheet, chart, _positions(sheet.name, names, chart), first + 1, last + 1)
        worksheet.add_chart(drawing, f"A{written + 3 + placed * ROWS_PER_CHART}")
        placed += 1


def _positions(sheet_name: str, names: list[str], chart: Chart) -> dict[str, int]:
    wanted = [chart.categories, *chart.bars, *chart.lines]
    missing = [name for name in wanted if name not in names]
    if missing:
        raise ExportError(f"sheet {sheet_name!r}: the chart {chart.title!r} needs a column {missing[0]!r}")
    return {name: names.index(name) + 1 for name in wanted}


def _bar_chart(worksheet, chart: Chart, column: dict[str, int], top: int, bottom: int) -> BarChart:  # type: ignore[no-untyped-def]
    def series(name: str) -> Series:
        values = Reference(worksheet, min_col=column[name], min_row=top, max_row=bottom)
        return Series(values, title=name)

    categories = Reference(worksheet, min_col=column[chart.categories], min_row=top, max_row=bottom)
    bars = BarChart()
    bars.type = "col"
    bars.title = chart.title
    bars.width, bars.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    if chart.stacked:
        bars.grouping, bars.overlap = "stacked", 100
    for name in chart.bars:
        bars.series.append(series(name))
    bars.set_categories(categories)
    _show_axes(bars, chart)
    if chart.lines:
        lines = LineChart()
        for name in chart.lines:
            lines.series.append(series(name))
        lines.set_categories(categories)
        for line in lines.series:
            line.smooth = False
            line.marker.symbol = "none"
        bars += lines  # same axes: a threshold is read on the bars' scale
    return bars


def _show_axes(bars: BarChart, chart: Chart) -> None:
    # openpyxl 3.1 marks axes deleted unless told otherwise; Excel then draws none
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    bars.y_axis.title = chart.y_title or None
    if chart.y_max is not None:
        bars.y_axis.scaling.max = chart.y_max
    if chart.y_format is not None:
        bars.y_axis.number_format = chart.y_format
    if chart.y_step is not None:
        bars.y_axis.majorUnit = chart.y_step
    bars.legend.position = "b"
