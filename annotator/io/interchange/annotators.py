"""Who made an annotation, when a file says (Label Studio's ``completed_by``, Prodigy's
``_annotator_id``), as the coder whose layer it goes to.

A file whose annotations all come from one annotator (or name none) goes to the import's
coder (``--coder``): the user named the layer. A file holding several annotators gives each
their own layer, named after them, so their decisions never collide in one layer.
"""

from __future__ import annotations

from collections.abc import Iterable


def coder_names(keys: Iterable[str | None], strip_common_prefix: bool = False) -> dict[str, str | None]:
    """Annotator key -> coder name (None: the import's coder)."""
    named = sorted({key for key in keys if key})
    if len(named) <= 1:
        return dict.fromkeys(named)
    prefix = _common_dash_prefix(named) if strip_common_prefix else ""
    return {key: key[len(prefix):] for key in named}


def _common_dash_prefix(keys: list[str]) -> str:
    """The shared ``dataset-`` part of Prodigy's ``dataset-session`` ids, if all have one."""
    heads = {key.rsplit("-", 1)[0] + "-" for key in keys if "-" in key}
    if len(heads) == 1 and all("-" in key for key in keys):
        head = heads.pop()
        if all(len(key) > len(head) for key in keys):
            return head
    return ""
