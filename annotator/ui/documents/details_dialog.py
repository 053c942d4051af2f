"""Document → Details (F2): correct the title, outlet, author, date, section and URL.

One form for one document or for every document selected in the list. With several, a field
they all share shows its value; a field where they differ stays empty ("several values"),
and only the fields typed into are changed. Each field is checked as it is typed (a date is
YYYY-MM-DD, a URL a web address); OK stays disabled and a line says why until it is right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.document_details import (
    DETAIL_LABELS,
    DetailValue,
    DocumentDetails,
    as_text,
    parse_detail,
)
from annotator.domain.errors import DocumentDetailsError

PLACEHOLDERS = {
    "source": "the newspaper, site or agency",
    "author": "as in the byline",
    "published": "YYYY-MM-DD",
    "section": "e.g. Politics, Opinion, Business",
    "url": "https://…",
}
#: Core variables of a content analysis: the form starts on the first one that is missing.
_CORE = ("source", "published")


@dataclass(frozen=True)
class DetailsRequest:
    """What the form shows: the details of the documents it edits, and values to offer."""

    details: Sequence[DocumentDetails]
    known: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: A date the importer could not read (``date_raw``), shown beside the date field.
    date_hint: str | None = None

    @property
    def several(self) -> bool:
        return len(self.details) > 1


#: The answer: the fields to change and their new values (None clears one).
DetailsEdit = dict[str, DetailValue]


class DocumentDetailsDialog(QDialog):
    def __init__(self, request: DetailsRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentDetailsDialog")
        self.request = request
        count = len(request.details)
        self.setWindowTitle(f"Details of {count} Documents" if request.several else "Document Details")
        self.inputs: dict[str, QLineEdit] = {}
        self._initial: dict[str, str] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, label in DETAIL_LABELS.items():
            values = {as_text(d.get(name)) for d in request.details}
            shared = values.pop() if len(values) == 1 else None
            edit = QLineEdit(shared or "")
            edit.setObjectName(f"detail_{name}")
            edit.setMinimumWidth(460)
            edit.setClearButtonEnabled(True)
            several = "several values: type to set all"
            edit.setPlaceholderText(several if shared is None else PLACEHOLDERS.get(name, ""))
            known = request.known.get(name)
            if known:
                completer = QCompleter(list(known), edit)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                edit.setCompleter(completer)
            if name == "title" and request.several:
                edit.setEnabled(False)  # one title for many articles is never what is meant
                edit.setPlaceholderText(f"{count} documents: each keeps its title")
                edit.clear()
            edit.setCursorPosition(0)  # a long title shows its start
            self.inputs[name] = edit
            self._initial[name] = edit.text()
            form.addRow(f"&{label}:", edit)
            edit.textChanged.connect(self._validate)
            if name == "published" and request.date_hint:
                hint = QLabel(f"The file gave the date as “{request.date_hint}”")
                hint.setObjectName("dateHint")
                hint.setEnabled(False)
                form.addRow("", hint)
        self.problem = QLabel()
        self.problem.setObjectName("detailsProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #CC3311;")  # Paul Tol's vibrant red
        self.problem.hide()
        note = QLabel(
            "Saved at once and exported with the Documents sheet; Ctrl+Z undoes it."
            if not request.several
            else f"Only the fields you type into change, for all {count} documents; Ctrl+Z undoes it."
        )
        note.setEnabled(False)
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._first_field().setFocus(Qt.FocusReason.OtherFocusReason)

    def _first_field(self) -> QLineEdit:
        """Where typing starts: the first missing core variable (outlet, date), else the title."""
        for name in _CORE:
            if not self.inputs[name].text():
                return self.inputs[name]
        return self.inputs["source" if self.request.several else "title"]

    def changed_names(self) -> list[str]:
        changed = []
        for name, edit in self.inputs.items():
            text = edit.text()
            if text == self._initial[name]:
                continue
            if self.request.several and not self._initial[name] and not text.strip():
                continue  # "several values" left empty: keep each document's own
            changed.append(name)
        return changed

    def edit(self) -> DetailsEdit:
        """The changed fields, parsed; raises DocumentDetailsError for the first one that is wrong."""
        return {name: parse_detail(name, self.inputs[name].text()) for name in self.changed_names()}

    def _validate(self) -> None:
        problem = ""
        for name, edit in self.inputs.items():
            try:
                parse_detail(name, edit.text())
            except DocumentDetailsError as exc:
                problem = problem or str(exc)[:1].upper() + str(exc)[1:]
                edit.setStyleSheet("border: 1px solid #CC3311;")
            else:
                edit.setStyleSheet("")
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def accept(self) -> None:
        try:
            self.edit()
        except DocumentDetailsError:
            self._validate()
            return
        super().accept()
