"""`@record`: the read-only dataclass every typed record of the project is declared with.

A record is a dataclass with equality and a hash from its fields, whose fields the type checker
refuses to assign (`frozen_default`: strict mypy runs in `make test`). At run time it is not
`frozen=True`: a frozen dataclass costs two more generated methods per class (`__setattr__`,
`__delattr__`), each compiled by `exec` when the module is imported, and an `__init__` that
sets every field through `object.__setattr__`. With the ~36 records the first screen imports,
that was ~8 ms of every launch (db/models.py alone: 18.6 to 12.3 ms). Code changes a record
with `dataclasses.replace`, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """Declare `cls` a record (see the module's docstring)."""
    return dataclass(unsafe_hash=True)(cls)
