"""What the app asks of the screen in front, whichever screen it is (checked with isinstance).

A screen offers a role by defining the method: the main screen, the source reader and the
sources list say what a new note would be on; the main screen and the reader which quote `y`
copies; the note editor whether it holds unsaved text.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

# (target_type, target_id, label) or, on a passage, with its anchor (start, end, quote).
NoteTarget = tuple[str, str, str] | tuple[str, str, str, tuple[int, int, str] | None]


@runtime_checkable
class HoldsUnsavedText(Protocol):
    def has_unsaved_changes(self) -> bool: ...


@runtime_checkable
class OffersNoteTarget(Protocol):
    def focused_target(self) -> NoteTarget | None: ...


@runtime_checkable
class OffersQuote(Protocol):
    def current_quote_text(self) -> str | None: ...


@runtime_checkable
class ShowsNotes(Protocol):
    def refresh_notes(self) -> None: ...
