"""The Parquet schema of a Suggestion, derived from the contract's pydantic models (so a new optional field
appears by itself), and the conversion of a record to it.

Nested models become structs, lists become lists, `dict[str, float]` (intent scores) a map, and free-form
`dict[str, object]` (intervention parameters) a JSON string, since its values have no single type.
"""

from __future__ import annotations

import json
import types
import typing
from functools import cache
from typing import Any

import pyarrow as pa
from pydantic import BaseModel

from rules.contract import Suggestion

SCALARS = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def arrow_type(annotation: Any) -> pa.DataType:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return arrow_type(args[0])
    if origin in (typing.Union, types.UnionType):
        return arrow_type(args[0])
    if origin is typing.Literal:
        return pa.string()
    if origin is list:
        return pa.list_(arrow_type(args[0]))
    if origin is dict:
        return pa.map_(pa.string(), SCALARS[args[1]]) if args[1] in SCALARS else pa.string()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields.items()
        return pa.struct([pa.field(name, arrow_type(info.annotation)) for name, info in fields])
    return SCALARS.get(annotation, pa.string())


@cache
def suggestion_schema() -> pa.Schema:
    """One row per note: the Suggestion's fields, plus `line` and `error` for a row that failed."""
    fields = [pa.field(name, arrow_type(info.annotation)) for name, info in Suggestion.model_fields.items()]
    return pa.schema([fields[0], pa.field("line", pa.int64()), pa.field("error", pa.string()), *fields[1:]])


def to_arrow_row(record: dict[str, Any], schema: pa.Schema) -> dict[str, Any]:
    return {f.name: convert(record.get(f.name), f.type) for f in schema}


def convert(value: Any, kind: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_struct(kind):
        return {f.name: convert(value.get(f.name), f.type) for f in kind}
    if pa.types.is_map(kind):
        return list(value.items())
    if pa.types.is_list(kind):
        return [convert(item, kind.value_type) for item in value]
    if pa.types.is_string(kind) and not isinstance(value, str):
        return json.dumps(value, sort_keys=True)
    return value
